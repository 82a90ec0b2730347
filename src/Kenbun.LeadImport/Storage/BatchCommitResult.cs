using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Storage;

/// <summary>The outcome of <see cref="LeadImportStorage.CommitBatchAsync"/>.</summary>
public enum BatchCommitStatus
{
    /// <summary>The batch and checkpoint are stored (or were already).</summary>
    Committed = 0,

    /// <summary>Some identifiers are owned by other leads; nothing was applied.</summary>
    Conflict = 1,

    /// <summary>
    /// The job's progress is not where the batch started, and not this checkpoint either: another worker has moved it,
    /// or an earlier attempt of this batch was applied with a different outcome. Nothing was applied; the job must be
    /// resumed from what the store holds.
    /// </summary>
    Stale = 2,
}

/// <summary>The outcome of <see cref="LeadImportStorage.CommitBatchAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Conflicts">For <see cref="BatchCommitStatus.Conflict"/>, the identifiers already owned by another lead.</param>
/// <param name="CancelRequested">Whether a user has asked the job to stop.</param>
public sealed record BatchCommitResult(BatchCommitStatus Status, IReadOnlyList<IdentifierKey> Conflicts, bool CancelRequested)
{
    /// <summary>A committed batch of a job that goes on.</summary>
    public static BatchCommitResult Committed(bool cancelRequested) => new(BatchCommitStatus.Committed, [], cancelRequested);
}
