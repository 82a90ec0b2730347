using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// The jobs face of a <see cref="LeadImportStorage"/>: reads jobs, their errors and warnings, and hands queued jobs to
/// workers as leases, fairly across OUs. Creating, finishing, cancelling and deleting jobs touch files too, so they are
/// operations of the storage root. Every client-facing call is scoped by OU: another OU's job is reported like one that
/// does not exist.
/// </summary>
public interface IJobStore
{
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
    /// Leases the next job to run to <paramref name="leaseHolder"/>: a queued job, or an in-progress job whose lease has
    /// lapsed (its worker died). Takes OUs in turn, oldest job first within an OU. A queued job becomes
    /// <see cref="JobStatus.InProgress"/> with its start time. Returns <see langword="null"/> when no job is waiting.
    /// <paramref name="leaseHolder"/> names the holder of this one lease: a worker passes a new one for every acquisition.
    /// Atomic across every process the storage's <see cref="LeadImportStorage.Scope"/> reaches.
    /// </summary>
    ValueTask<JobLease?> AcquireNextAsync(string leaseHolder, TimeSpan leaseDuration, CancellationToken cancellationToken);

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
    /// How many jobs of all OUs are queued and since when the oldest waits: the one call not scoped by OU, since it is
    /// for operators and tells nothing of any tenant. It must be cheap: the health check asks at every check.
    /// </summary>
    ValueTask<JobQueueStatus> GetQueueStatusAsync(CancellationToken cancellationToken);
}
