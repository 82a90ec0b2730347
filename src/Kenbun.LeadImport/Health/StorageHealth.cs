using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Health;

/// <summary>
/// What this process has seen of its storage lately: the jobs running here and which of them are stalled on an outage,
/// and whether the worker's own last call (looking for work, every <see cref="LeadImportOptions.WorkerPollInterval"/>
/// while idle) found the store unavailable. The health check reads it, and the job detail of a job running here shows its
/// stall from it even when the outage keeps the store from recording it. Passive: it never calls the store.
/// </summary>
internal sealed class StorageHealth(IStorageFailureClassifier classifier, TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<object, (string JobId, JobStall? Stall)> _runs = [];
    private JobStall? _workerOutage;

    /// <summary>Classifies a failed storage call, never throwing.</summary>
    public StorageFailure Classify(Exception exception) => classifier.ClassifySafely(exception);

    /// <summary>A run of a job began here.</summary>
    public void RunStarted(object run, string jobId) => SetRun(run, jobId, null);

    /// <summary>A run waits out an outage (or goes on waiting, perhaps for another reason).</summary>
    public void RunStalled(object run, string jobId, JobStall stall) => SetRun(run, jobId, stall);

    /// <summary>A run no longer waits: its storage answers again.</summary>
    public void RunResumed(object run, string jobId) => SetRun(run, jobId, null);

    /// <summary>A run ended.</summary>
    public void RunEnded(object run)
    {
        lock (_lock)
        {
            _runs.Remove(run);
        }
    }

    /// <summary>Whether <paramref name="jobId"/> runs in this process, and if so its stall (<see langword="null"/>: it is not stalled).</summary>
    public bool TryGetRunningStall(string jobId, out JobStall? stall)
    {
        lock (_lock)
        {
            foreach (var (runJobId, runStall) in _runs.Values)
            {
                if (runJobId == jobId)
                {
                    stall = runStall;
                    return true;
                }
            }
        }

        stall = null;
        return false;
    }

    /// <summary>A call the worker makes outside any job reached the store.</summary>
    public void WorkerCallSucceeded()
    {
        lock (_lock)
        {
            _workerOutage = null;
        }
    }

    /// <summary>A call the worker makes outside any job failed; returns how the store classified it.</summary>
    public StorageFailure WorkerCallFailed(Exception exception)
    {
        var failure = Classify(exception);
        lock (_lock)
        {
            _workerOutage = failure.Kind == StorageFailureKind.Unavailable
                ? _workerOutage is { } ongoing ? ongoing with { Reason = failure.Reason } : new JobStall(timeProvider.GetUtcNow(), failure.Reason)
                : null;
        }

        return failure;
    }

    /// <summary>Whether the store is unavailable now, since when and why, and how many jobs wait for it.</summary>
    public StorageHealthSnapshot Snapshot()
    {
        lock (_lock)
        {
            var stalls = _runs.Values.Select(r => r.Stall).OfType<JobStall>().ToList();
            var outages = stalls.Append(_workerOutage).OfType<JobStall>().ToList();
            if (outages.Count == 0)
            {
                return new StorageHealthSnapshot(null, 0);
            }

            return new StorageHealthSnapshot(new JobStall(outages.Min(o => o.Since), outages.MaxBy(o => o.Since)!.Reason), stalls.Count);
        }
    }

    private void SetRun(object run, string jobId, JobStall? stall)
    {
        lock (_lock)
        {
            _runs[run] = (jobId, stall);
        }
    }
}

/// <summary>What <see cref="StorageHealth"/> knows at one moment.</summary>
/// <param name="Outage">Since when the store has been unavailable and why (the latest reason); <see langword="null"/> when it is not.</param>
/// <param name="StalledJobs">How many of this process's jobs wait for the store.</param>
internal readonly record struct StorageHealthSnapshot(JobStall? Outage, int StalledJobs);
