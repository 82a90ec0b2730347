using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// One storage backend: the root a provider registers (<c>UseInMemoryStores()</c>, <c>UseSqlite(…)</c>), as Hangfire's
/// <c>JobStorage</c> is. It hands out three faces of itself — <see cref="Files"/>, <see cref="Jobs"/> and
/// <see cref="Leads"/>, which are never mixed across backends — and performs every operation that spans them, each
/// atomic with its cascade as its documentation says. Every operation is scoped by OU where it takes one: another
/// OU's file or job is reported exactly like one that does not exist. Implementations must be safe for concurrent
/// use; a provider whose <see cref="Scope"/> reaches beyond one process must keep every rule across processes.
/// </summary>
/// <remarks>
/// A provider that keeps a part elsewhere (file bytes in blob storage, say) must still make each operation's
/// decision atomic in its database — who owns a file, whether a job exists — and may remove the bytes of a file
/// that no job or preview references afterwards, at the latest in the next <see cref="SweepAsync"/>. The shared
/// conformance suite (package <c>Kenbun.LeadImport.Testing</c>) proves every rule here.
/// </remarks>
public abstract class LeadImportStorage
{
    /// <summary>How far the storage reaches: the core logs it at start and reports it in its health data.</summary>
    public abstract StorageScope Scope { get; }

    /// <summary>Uploaded files and previews.</summary>
    public abstract IImportFileStore Files { get; }

    /// <summary>Jobs, their progress, errors and warnings, and the leases workers hold on them.</summary>
    public abstract IJobStore Jobs { get; }

    /// <summary>Leads and their identifiers.</summary>
    public abstract ILeadStore Leads { get; }

    /// <summary>
    /// Which class of failure each of this storage's exceptions is — an outage the engine waits out, a batch it refuses,
    /// or a defect that fails the job. The default knows only what .NET calls transient
    /// (<see cref="DefaultStorageFailureClassifier"/>); a provider that knows its driver's errors overrides it.
    /// </summary>
    public virtual IStorageFailureClassifier FailureClassifier => DefaultStorageFailureClassifier.Instance;

    /// <summary>
    /// What <see cref="FailureClassifier"/> says of <paramref name="exception"/>, or a <see cref="StorageFailureKind.Defect"/>
    /// when the classifier itself throws: for callers that must answer whatever happens (the HTTP API, the worker).
    /// </summary>
    public StorageFailure ClassifyFailure(Exception exception) => FailureClassifier.ClassifySafely(exception);

    /// <summary>
    /// Creates a queued job for its file, atomically. A real import needs a published, unexpired preview that no job
    /// owns, and takes the file over in the same step (its expiry no longer deletes it; it no longer counts against
    /// the preview quota). A dry run needs a published, unexpired preview and never takes it over. Nothing is created
    /// when the file is not there (<see cref="JobCreationStatus.FileNotFound"/>), when the file's real import exists
    /// (<see cref="JobCreationStatus.FileAlreadyStarted"/>, with that job; for a dry run too), or when the OU already
    /// has <paramref name="maxQueuedJobsPerOu"/> queued jobs (<see cref="JobCreationStatus.QuotaExceeded"/>). Of two
    /// concurrent real imports of one file, one is created.
    /// </summary>
    public abstract ValueTask<JobCreation> CreateJobAsync(ImportJob job, int maxQueuedJobsPerOu, CancellationToken cancellationToken);

    /// <summary>
    /// Commits one batch: the lead changes and the job's checkpoint together, atomically — all of it or none.
    /// Nothing is applied, and the result is <see cref="BatchCommitStatus.Stale"/>, when the job is not in progress or
    /// its lease is no longer held by <see cref="JobCheckpoint.LeaseHolder"/> (another worker took it over). Nothing is
    /// applied either when an identifier the batch gives to a lead is already owned by another lead (another job
    /// got there first): the result lists those conflicts and the engine decides the batch again. Nothing is applied
    /// when the job's progress is no longer <see cref="JobCheckpoint.PreviousProcessedRows"/>: if the job's
    /// counters then equal the checkpoint's, this very checkpoint was applied before (a retry after a lost answer) and
    /// the result is <see cref="BatchCommitStatus.Committed"/>; otherwise the job moved on differently and the result is
    /// <see cref="BatchCommitStatus.Stale"/>. A change to a lead forgotten since the look-up (<see cref="ForgetLeadAsync"/>)
    /// is dropped, fields and identifiers, and does not count as a conflict; the rest of the batch is applied. A change to
    /// a lead that never existed in the OU is a bug in the caller: nothing is applied and
    /// <see cref="InvalidOperationException"/> is thrown.
    /// </summary>
    public abstract ValueTask<BatchCommitResult> CommitBatchAsync(
        string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a leased job to a final status and ends the lease, and deletes a real import's file with it; returns
    /// false, changing nothing, when the lease was no longer held. A dry run's file stays: it is still a preview.
    /// </summary>
    public abstract ValueTask<bool> FinishJobAsync(JobLease lease, JobStatus status, string? failureReason, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a queued job at once, deleting a real import's file with it; asks a running one to stop at its next batch;
    /// refuses a finished one.
    /// </summary>
    public abstract ValueTask<CancelOutcome> CancelJobAsync(string ou, string jobId, CancellationToken cancellationToken);

    /// <summary>Deletes a finished job with its errors, warnings and any file it still owns; keeps a queued or running one.</summary>
    public abstract ValueTask<DeleteOutcome> DeleteJobAsync(string ou, string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// The retention sweep, each part atomic: deletes expired previews and unpublished uploads — except a preview that a
    /// queued or running dry run reads, which stays until that job ends — and any file a finished job still owns; then
    /// deletes every job that reached a final status before <paramref name="purgeFinishedBefore"/>, with its errors,
    /// warnings and file.
    /// </summary>
    public abstract ValueTask<SweepOutcome> SweepAsync(DateTimeOffset purgeFinishedBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a person, atomically: finds the lead of <paramref name="ou"/> that owns <paramref name="identifier"/> (a
    /// normalised value) and deletes it with every identifier it owns and its provenance (the jobs that created and
    /// changed it, its place in the lead feed); then, in every job of the OU, whatever its status, deletes each row error
    /// whose value or cells, and each row warning whose value, holds one of those identifier values as
    /// <see cref="ForgottenValues"/> judges it. When no lead owns the identifier, the errors and warnings that hold it are
    /// still deleted. Job counters and warning counts stay as they were: they count rows, not people. Nothing of another
    /// OU changes, even a lead with the same identifier. A job running meanwhile may have decided a batch on a look-up
    /// made before: <see cref="CommitBatchAsync"/> then drops the batch's changes to the forgotten lead (fields and
    /// identifiers alike) and applies the rest, so the storage remembers which leads were forgotten (their ids only).
    /// </summary>
    public abstract ValueTask<ForgetLeadOutcome> ForgetLeadAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes everything <paramref name="ou"/> has, atomically: its leads and identifiers, its jobs whatever their
    /// status with their errors and warnings, its uploads and previews, and its turn in the workers' fairness order. A
    /// running job loses its lease with its row: its worker's next renewal, commit or finish finds the job gone, writes
    /// nothing and stops. What the storage keeps is the OU's lead-feed position, a number naming no one, so that a host's
    /// saved feed position still comes before the OU's later imports. Deleting an OU that has nothing deletes nothing.
    /// </summary>
    public abstract ValueTask<DeleteOuOutcome> DeleteOuAsync(string ou, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the next batch of a data migration of stored identifiers (see <see cref="IdentifierRewrite"/>): at most
    /// <paramref name="batchSize"/> identifiers, in one transaction with the record of how far the rewrite got, so a
    /// crash loses nothing and the next call goes on from there. Returns <see cref="IdentifierRewriteProgress.Done"/>
    /// once every identifier has been through it, and from then on does nothing for that version.
    /// </summary>
    public abstract ValueTask<IdentifierRewriteProgress> RewriteIdentifiersAsync(IdentifierRewrite rewrite, int batchSize, CancellationToken cancellationToken);
}
