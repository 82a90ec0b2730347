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
