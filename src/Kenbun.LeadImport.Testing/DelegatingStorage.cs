using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Testing;

/// <summary>
/// Storage that forwards every call to <paramref name="inner"/>: derive it to slow down, fail or watch one operation
/// in a test (an outage on commit, a commit whose answer is lost), leaving the rest as the real storage does it.
/// </summary>
/// <param name="inner">The storage that does the work.</param>
public abstract class DelegatingStorage(LeadImportStorage inner) : LeadImportStorage
{
    /// <summary>The storage that does the work.</summary>
    public LeadImportStorage Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc />
    public override StorageScope Scope => Inner.Scope;

    /// <inheritdoc />
    public override IImportFileStore Files => Inner.Files;

    /// <inheritdoc />
    public override IJobStore Jobs => Inner.Jobs;

    /// <inheritdoc />
    public override ILeadStore Leads => Inner.Leads;

    /// <inheritdoc />
    public override IStorageFailureClassifier FailureClassifier => Inner.FailureClassifier;

    /// <inheritdoc />
    public override ValueTask<JobCreation> CreateJobAsync(ImportJob job, int maxQueuedJobsPerOu, CancellationToken cancellationToken) =>
        Inner.CreateJobAsync(job, maxQueuedJobsPerOu, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<BatchCommitResult> CommitBatchAsync(
        string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken) =>
        Inner.CommitBatchAsync(ou, jobId, changes, checkpoint, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<bool> FinishJobAsync(JobLease lease, JobStatus status, string? failureReason, CancellationToken cancellationToken) =>
        Inner.FinishJobAsync(lease, status, failureReason, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<CancelOutcome> CancelJobAsync(string ou, string jobId, CancellationToken cancellationToken) =>
        Inner.CancelJobAsync(ou, jobId, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<DeleteOutcome> DeleteJobAsync(string ou, string jobId, CancellationToken cancellationToken) =>
        Inner.DeleteJobAsync(ou, jobId, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<SweepOutcome> SweepAsync(DateTimeOffset purgeFinishedBefore, CancellationToken cancellationToken) =>
        Inner.SweepAsync(purgeFinishedBefore, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<ForgetLeadOutcome> ForgetLeadAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken) =>
        Inner.ForgetLeadAsync(ou, identifier, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<DeleteOuOutcome> DeleteOuAsync(string ou, CancellationToken cancellationToken) =>
        Inner.DeleteOuAsync(ou, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IdentifierRewriteProgress> RewriteIdentifiersAsync(IdentifierRewrite rewrite, int batchSize, CancellationToken cancellationToken) =>
        Inner.RewriteIdentifiersAsync(rewrite, batchSize, cancellationToken);
}
