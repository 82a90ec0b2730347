using Kenbun.LeadImport.Health;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.Engine;

/// <summary>
/// One run's stall (CONTRACT §6): the job is stalled while any of its storage calls waits out unavailable storage.
/// Records it on the job (<see cref="ImportJob.Stall"/>) where the store takes the write, clears it once the job goes on,
/// and tells <see cref="StorageHealth"/> (the health check, and the job detail while the store cannot record it). Safe for concurrent use: the look-up and commit stages can stall at the same time.
/// </summary>
internal sealed partial class JobStallTracker : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _recording = new(1, 1);
    private readonly IJobStore _jobs;
    private readonly JobLease _lease;
    private readonly TimeProvider _timeProvider;
    private readonly StorageHealth _health;
    private readonly ILogger _logger;
    private int _waitingCalls;
    private JobStall? _stall;
    private JobStall? _recorded;

    public JobStallTracker(IJobStore jobs, JobLease lease, TimeProvider timeProvider, StorageHealth health, ILogger logger)
    {
        _jobs = jobs;
        _lease = lease;
        _timeProvider = timeProvider;
        _health = health;
        _logger = logger;

        // A stall an earlier run left behind (its host stopped while it waited) is cleared by this run's first success.
        _recorded = lease.Job.Stall;
        _health.RunStarted(this, lease.Job.JobId);
    }

    /// <summary>Whether the job's record differs from what is true now.</summary>
    public bool Unrecorded
    {
        get
        {
            lock (_lock)
            {
                return !Equals(_stall, _recorded);
            }
        }
    }

    /// <summary>A storage call failed as unavailable and will be tried again; <paramref name="first"/> the first time for that call.</summary>
    public void CallWaits(StorageFailure failure, bool first)
    {
        lock (_lock)
        {
            if (first)
            {
                _waitingCalls++;
            }

            _stall = _stall is null ? new JobStall(_timeProvider.GetUtcNow(), failure.Reason) : _stall with { Reason = failure.Reason };
            _health.RunStalled(this, _lease.Job.JobId, _stall);
        }
    }

    /// <summary>A call that had waited ended: it went through, or the run stops.</summary>
    public void CallEnded()
    {
        lock (_lock)
        {
            if (--_waitingCalls == 0)
            {
                _stall = null;
                _health.RunResumed(this, _lease.Job.JobId);
            }
        }
    }

    /// <summary>
    /// Brings the job's record in line with the stall, where the store takes the write. Never throws: while the store is
    /// unavailable the write may fail too, and the next retry or success tries again.
    /// </summary>
    public async ValueTask RecordAsync(CancellationToken cancellationToken)
    {
        if (!Unrecorded)
        {
            return;
        }

        try
        {
            await _recording.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                JobStall? wanted;
                lock (_lock)
                {
                    wanted = _stall;
                    if (Equals(wanted, _recorded))
                    {
                        return;
                    }
                }

                // False means the lease is gone: there is nothing of this run's to record any more, and the commit says so.
                await _jobs.SetStallAsync(_lease, wanted, cancellationToken).ConfigureAwait(false);
                lock (_lock)
                {
                    _recorded = wanted;
                }
            }
            finally
            {
                _recording.Release();
            }
        }
        catch (Exception e)
        {
            LogNotRecorded(_lease.Job.JobId, e.GetType().Name);
        }
    }

    public void Dispose()
    {
        _health.RunEnded(this);
        _recording.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId}: could not record its stall on the job ({Error}); trying again later")]
    private partial void LogNotRecorded(string jobId, string error);
}
