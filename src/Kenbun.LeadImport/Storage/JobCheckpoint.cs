using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.Storage;

/// <summary>What a batch adds to its job: the new progress, and the errors and warnings of its rows.</summary>
public sealed record JobCheckpoint
{
    /// <summary>
    /// The holder of the job's lease that commits (<see cref="JobLease.LeaseHolder"/>): a worker whose lease was taken
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
    /// <see cref="LeadImportOptions.MaxDetailItems"/> warnings, since the job detail shows no more and nothing
    /// pages through warnings. <see cref="WarningCount"/> counts them all.
    /// </summary>
    public required IReadOnlyList<RowWarning> Warnings { get; init; }

    /// <summary>The job's warning count after this batch: every warning so far, kept or not.</summary>
    public required long WarningCount { get; init; }
}
