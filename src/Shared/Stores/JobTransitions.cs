using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Stores;

/// <summary>What the storage operations make of a job, decided once for every first-party store; each store saves the result its own way.</summary>
internal static class JobTransitions
{
    /// <summary>
    /// A cancel request (<see cref="LeadImportStorage.CancelJobAsync"/>): a queued job is cancelled at once (its store then
    /// deletes the file it owns), a running one is asked to stop at its next batch, a finished one stays as it is.
    /// </summary>
    public static CancelOutcome Cancel(ImportJob job, DateTimeOffset now) => job.Status switch
    {
        JobStatus.Queued => new CancelOutcome(CancelStatus.Cancelled, job with { Status = JobStatus.Cancelled, CompletedAt = now }),
        JobStatus.InProgress => new CancelOutcome(CancelStatus.Requested, job with { CancelRequested = true }),
        _ => new CancelOutcome(CancelStatus.AlreadyFinished, job),
    };

    /// <summary>
    /// Whether a batch may be applied to the job as stored (<see cref="LeadImportStorage.CommitBatchAsync"/>): null when
    /// it may; else what the commit answers without applying anything — <see cref="BatchCommitStatus.Stale"/> when the
    /// job is gone, not running or leased to another worker, or moved on differently, and
    /// <see cref="BatchCommitStatus.Committed"/> when this very checkpoint was applied before (a retry after a lost answer).
    /// </summary>
    public static BatchCommitResult? RefuseCommit(ImportJob? job, string? leaseOwner, JobCheckpoint checkpoint)
    {
        if (job is not { Status: JobStatus.InProgress } || leaseOwner != checkpoint.LeaseHolder)
        {
            return new BatchCommitResult(BatchCommitStatus.Stale, [], false);
        }

        if (job.Counters.Processed == checkpoint.PreviousProcessedRows)
        {
            return null;
        }

        var alreadyApplied = job.Counters == checkpoint.Counters;
        return new BatchCommitResult(alreadyApplied ? BatchCommitStatus.Committed : BatchCommitStatus.Stale, [], job.CancelRequested);
    }

    /// <summary>A leased job reaching a final status (<see cref="LeadImportStorage.FinishJobAsync"/>); no longer stalled.</summary>
    public static ImportJob Finish(ImportJob job, JobStatus status, string? failureReason, DateTimeOffset now)
    {
        RequireFinal(status);
        return job with { Status = status, CompletedAt = now, FailureReason = failureReason, Stall = null };
    }

    /// <summary>Refuses a status a job cannot finish in, before a store writes anything.</summary>
    public static void RequireFinal(JobStatus status)
    {
        if (!status.IsFinal())
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A job can only finish in a final status.");
        }
    }
}
