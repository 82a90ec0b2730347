using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// Stores leads and their identifiers. The engine calls it once per batch to look up identifiers and once to
/// commit the batch; never per row. Every call is scoped by OU. Implementations must be safe for concurrent use.
/// </summary>
public interface ILeadStore
{
    /// <summary>
    /// Finds which lead owns each of <paramref name="identifiers"/> in one round trip and adds
    /// <c>identifier → lead id</c> to <paramref name="owners"/> for those that are owned.
    /// </summary>
    ValueTask LookupAsync(string ou, IReadOnlyCollection<IdentifierKey> identifiers, IDictionary<IdentifierKey, string> owners, CancellationToken cancellationToken);

    /// <summary>
    /// Commits one batch: the lead changes and the job's checkpoint together, atomically — all of it or none.
    /// Nothing is applied, and the result is <see cref="BatchCommitStatus.Stale"/>, when the job is not in progress or
    /// its lease is no longer held by <see cref="JobCheckpoint.LeaseHolder"/> (another worker took it over). Nothing is
    /// applied either when an identifier the batch gives to a lead is already owned by another lead (another job
    /// got there first): the result lists those conflicts and the engine decides the batch again. Nothing is applied
    /// when the job's progress is no longer <see cref="JobCheckpoint.PreviousProcessedRows"/>: if the job's
    /// counters then equal the checkpoint's, this very checkpoint was applied before (a retry after a lost answer) and
    /// the result is <see cref="BatchCommitStatus.Committed"/>; otherwise the job moved on differently and the result is
    /// <see cref="BatchCommitStatus.Stale"/>.
    /// </summary>
    ValueTask<BatchCommitResult> CommitBatchAsync(string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>Finds a lead by one of its identifiers.</summary>
    ValueTask<Lead?> FindAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken);

    /// <summary>Lists an OU's leads in creation order, a page at a time.</summary>
    ValueTask<Page<Lead>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken);
}

/// <summary>What a batch adds to its job: the new progress, and the errors and warnings of its rows.</summary>
public sealed record JobCheckpoint
{
    /// <summary>
    /// The holder of the job's lease that commits (<see cref="JobLease.WorkerId"/>): a worker whose lease was taken
    /// over must not move the job on, even with a checkpoint equal to the new holder's.
    /// </summary>
    public required string LeaseHolder { get; init; }

    /// <summary>The rows processed before this batch; the store commits only if the job is still there.</summary>
    public required long PreviousProcessedRows { get; init; }

    /// <summary>The counters after this batch.</summary>
    public required JobCounters Counters { get; init; }

    /// <summary>The errors of this batch's rows, in row order.</summary>
    public required IReadOnlyList<RowError> Errors { get; init; }

    /// <summary>
    /// The warnings of this batch's rows that the job keeps, in row order: only those among the job's first
    /// <see cref="LeadImportOptions.MaxErrorsInDetail"/> warnings, since the job detail shows no more and nothing
    /// pages through warnings. <see cref="WarningCount"/> counts them all.
    /// </summary>
    public required IReadOnlyList<RowWarning> Warnings { get; init; }

    /// <summary>The job's warning count after this batch: every warning so far, kept or not.</summary>
    public required long WarningCount { get; init; }
}

/// <summary>The outcome of <see cref="ILeadStore.CommitBatchAsync"/>.</summary>
public enum BatchCommitStatus
{
    /// <summary>The batch and checkpoint are stored (or were already).</summary>
    Committed,

    /// <summary>Some identifiers are owned by other leads; nothing was applied.</summary>
    Conflict,

    /// <summary>
    /// The job's progress is not where the batch started, and not this checkpoint either: another worker has moved it,
    /// or an earlier attempt of this batch was applied with a different outcome. Nothing was applied; the job must be
    /// resumed from what the store holds.
    /// </summary>
    Stale,
}

/// <summary>The outcome of <see cref="ILeadStore.CommitBatchAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Conflicts">For <see cref="BatchCommitStatus.Conflict"/>, the identifiers already owned by another lead.</param>
/// <param name="CancelRequested">Whether a user has asked the job to stop.</param>
public sealed record BatchCommitResult(BatchCommitStatus Status, IReadOnlyList<IdentifierKey> Conflicts, bool CancelRequested)
{
    /// <summary>A committed batch of a job that goes on.</summary>
    public static BatchCommitResult Committed(bool cancelRequested) => new(BatchCommitStatus.Committed, [], cancelRequested);
}

/// <summary>One page of a list.</summary>
/// <typeparam name="T">The items.</typeparam>
/// <param name="Items">The items on the page.</param>
/// <param name="Total">How many items there are on all pages.</param>
/// <param name="PageNumber">The 1-based page number.</param>
/// <param name="Limit">The most items on a page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int PageNumber, int Limit);
