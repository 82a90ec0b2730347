using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// Stores import jobs, their progress, errors and warnings, and hands queued jobs to workers as leases, fairly
/// across OUs. Every client-facing call is scoped by OU: another OU's job is reported like one that does not exist.
/// Implementations must be safe for concurrent use; a store shared by several processes must make
/// <see cref="AcquireNextAsync"/> atomic across them (<see cref="SupportsMultipleProcesses"/>).
/// </summary>
public interface IJobStore
{
    /// <summary>Whether several processes may share the store (the lease lives in it). In-memory stores say no.</summary>
    bool SupportsMultipleProcesses { get; }

    /// <summary>
    /// Creates a queued job, unless it is a real import of a file that already has one (one file, one real import) or
    /// its OU already has <paramref name="maxQueuedJobsPerOu"/> queued jobs. Atomic: of two real imports of one file, one
    /// wins. Dry runs never conflict: a file may have any number of them, before and beside its real import.
    /// </summary>
    ValueTask<JobCreation> CreateAsync(ImportJob job, int maxQueuedJobsPerOu, CancellationToken cancellationToken);

    /// <summary>Gets a job with the first <paramref name="maxDetailItems"/> errors and warnings.</summary>
    ValueTask<ImportJob?> GetAsync(string ou, string jobId, int maxDetailItems, CancellationToken cancellationToken);

    /// <summary>Finds the real (not dry-run) import a file started, or returns <see langword="null"/>.</summary>
    ValueTask<ImportJob?> FindByFileAsync(string ou, string fileId, CancellationToken cancellationToken);

    /// <summary>Lists an OU's jobs, newest first, without their errors and warnings.</summary>
    ValueTask<Page<ImportJob>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken);

    /// <summary>Pages through all errors of a job in row order, or returns <see langword="null"/> when the job does not exist.</summary>
    ValueTask<Page<RowError>?> ListErrorsAsync(string ou, string jobId, int page, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Reads up to <paramref name="limit"/> of a job's errors whose rows come after <paramref name="afterRow"/>, in row
    /// order, or returns <see langword="null"/> when the job does not exist. A call costs the same however far into the
    /// errors it starts, so reading them all (the failed-rows export) takes time in proportion to their number.
    /// </summary>
    ValueTask<IReadOnlyList<RowError>?> ListErrorsAfterAsync(string ou, string jobId, long afterRow, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Leases the next job to run to <paramref name="workerId"/>: a queued job, or an in-progress job whose lease has
    /// lapsed (its worker died). Takes OUs in turn, oldest job first within an OU. A queued job becomes
    /// <see cref="JobStatus.InProgress"/> with its start time. Returns <see langword="null"/> when no job is waiting.
    /// <paramref name="workerId"/> names the holder of this one lease: a worker passes a new one for every acquisition.
    /// </summary>
    ValueTask<JobLease?> AcquireNextAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Extends a lease; says whether it is still held and whether a user asked the job to stop.</summary>
    ValueTask<LeaseRenewal> RenewLeaseAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Gives a lease back without finishing the job (a stopping host): another worker may take it at once.</summary>
    ValueTask ReleaseLeaseAsync(JobLease lease, CancellationToken cancellationToken);

    /// <summary>
    /// Records that a leased job is stalled on unavailable storage (<paramref name="stall"/>), or goes on again
    /// (<see langword="null"/>), in <see cref="ImportJob.Stall"/>; nothing else about the job changes. Returns false when
    /// the lease is no longer held. The engine calls it while the store may be failing, and tolerates its failure.
    /// </summary>
    ValueTask<bool> SetStallAsync(JobLease lease, JobStall? stall, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a leased job to a final status, clears its <see cref="ImportJob.Stall"/> and ends the lease; returns false
    /// when the lease was no longer held.
    /// </summary>
    ValueTask<bool> FinishAsync(JobLease lease, JobStatus status, string? failureReason, CancellationToken cancellationToken);

    /// <summary>Cancels a queued job at once, asks a running one to stop, and refuses a finished one.</summary>
    ValueTask<CancelOutcome> RequestCancelAsync(string ou, string jobId, CancellationToken cancellationToken);

    /// <summary>Deletes a finished job with its errors and warnings.</summary>
    ValueTask<DeleteOutcome> DeleteAsync(string ou, string jobId, CancellationToken cancellationToken);

    /// <summary>The ids of the files that queued or running jobs read: the sweep keeps them, even once expired.</summary>
    ValueTask<IReadOnlySet<string>> ListFilesInUseAsync(CancellationToken cancellationToken);

    /// <summary>Deletes every job that reached a final status before <paramref name="finishedBefore"/>; returns how many.</summary>
    ValueTask<int> PurgeFinishedAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken);
}

/// <summary>A worker's claim on a job, held until it lapses at <see cref="ExpiresAt"/> unless renewed.</summary>
/// <param name="Job">The job as it was when leased, with its progress so far.</param>
/// <param name="WorkerId">Who holds the lease.</param>
/// <param name="ExpiresAt">When the lease lapses.</param>
public sealed record JobLease(ImportJob Job, string WorkerId, DateTimeOffset ExpiresAt);

/// <summary>The outcome of <see cref="IJobStore.RenewLeaseAsync"/>.</summary>
/// <param name="Held">Whether the caller still holds the lease.</param>
/// <param name="CancelRequested">Whether a user has asked the job to stop.</param>
public readonly record struct LeaseRenewal(bool Held, bool CancelRequested);

/// <summary>What <see cref="IJobStore.CreateAsync"/> did.</summary>
public enum JobCreationStatus
{
    /// <summary>The job was created.</summary>
    Created,

    /// <summary>The file already started a job; <see cref="JobCreation.Job"/> is that job.</summary>
    FileAlreadyStarted,

    /// <summary>The OU has too many queued jobs.</summary>
    QuotaExceeded,
}

/// <summary>The outcome of <see cref="IJobStore.CreateAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Job">The created job, or the job the file already started.</param>
public sealed record JobCreation(JobCreationStatus Status, ImportJob? Job);

/// <summary>What a cancel request did.</summary>
public enum CancelStatus
{
    /// <summary>No such job in the OU.</summary>
    NotFound,

    /// <summary>The job was queued and is now cancelled.</summary>
    Cancelled,

    /// <summary>The job is running and will stop at its next batch boundary.</summary>
    Requested,

    /// <summary>The job had already finished.</summary>
    AlreadyFinished,
}

/// <summary>The outcome of a cancel request.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Job">The job after the request, when it exists.</param>
public sealed record CancelOutcome(CancelStatus Status, ImportJob? Job);

/// <summary>What a delete request did.</summary>
public enum DeleteOutcome
{
    /// <summary>No such job in the OU.</summary>
    NotFound,

    /// <summary>The job is queued or running and was kept.</summary>
    NotFinished,

    /// <summary>The job and its data are gone.</summary>
    Deleted,
}
