using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// In-memory storage whose uploads, job creation, cancel and delete throw <see cref="Failure"/> while it is set, and whose
/// classifier says of <see cref="SimulatedStorageException"/> what each carries, as a real provider says of its own.
/// </summary>
internal sealed class FailingStorage(TimeProvider time) : DelegatingStorage(new InMemoryStorage(time)), IStorageFailureClassifier
{
    public Exception? Failure { get; set; }

    public override IImportFileStore Files => new FailingFiles(Inner.Files, this);

    public override IStorageFailureClassifier FailureClassifier => this;

    public StorageFailure Classify(Exception exception) =>
        exception is SimulatedStorageException simulated ? simulated.Failure : DefaultStorageFailureClassifier.Instance.Classify(exception);

    public override ValueTask<JobCreation> CreateJobAsync(ImportJob job, int maxQueuedJobsPerOu, CancellationToken cancellationToken) =>
        Failure is { } failure ? ValueTask.FromException<JobCreation>(failure) : base.CreateJobAsync(job, maxQueuedJobsPerOu, cancellationToken);

    public override ValueTask<CancelOutcome> CancelJobAsync(string ou, string jobId, CancellationToken cancellationToken) =>
        Failure is { } failure ? ValueTask.FromException<CancelOutcome>(failure) : base.CancelJobAsync(ou, jobId, cancellationToken);

    public override ValueTask<DeleteOutcome> DeleteJobAsync(string ou, string jobId, CancellationToken cancellationToken) =>
        Failure is { } failure ? ValueTask.FromException<DeleteOutcome>(failure) : base.DeleteJobAsync(ou, jobId, cancellationToken);

    /// <summary>Uploads fail while the storage's <see cref="Failure"/> is set; the faces are resolved once, so it is asked at each call.</summary>
    private sealed class FailingFiles(IImportFileStore inner, FailingStorage storage) : DelegatingImportFileStore(inner)
    {
        public override ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken) =>
            storage.Failure is { } failure ? ValueTask.FromException(failure) : base.WriteContentAsync(ou, fileId, expiresAt, content, cancellationToken);
    }
}

/// <summary>A store's failure that its classifier reads as <see cref="Failure"/>.</summary>
internal sealed class SimulatedStorageException(StorageFailure failure) : Exception("Simulated storage failure: SECRET-DETAIL")
{
    public StorageFailure Failure { get; } = failure;
}
