using System.Diagnostics;
using Kenbun.LeadImport.Engine;
using Kenbun.LeadImport.Health;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport.Hosting;

/// <summary>
/// Runs queued jobs in the background, at most <see cref="LeadImportOptions.MaxConcurrentJobs"/> at a time. Each job is
/// held by a lease in the job store, renewed while it runs; a job whose worker died is taken over when its lease
/// lapses, and resumes from its last checkpoint. A stopping host checkpoints and gives its jobs back; it never marks
/// them failed.
/// </summary>
internal sealed partial class JobWorker(
    LeadImportStorage storage,
    ImportEngine engine,
    JobQueueSignal jobQueue,
    StorageHealth storageHealth,
    LeadImportMetrics metrics,
    IOptions<LeadImportOptions> options,
    TimeProvider timeProvider,
    ILogger<JobWorker> logger) : BackgroundService
{
    private readonly LeadImportOptions _options = options.Value;
    private long _acquisitions;
    private bool _storeUnavailable;

    /// <summary>This worker's name; each lease it takes adds a number, so two runs of one job are never mistaken for each other.</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStorage(storage.GetType().Name, storage.Scope);
        using var slots = new SemaphoreSlim(_options.MaxConcurrentJobs);
        var running = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var lease = await TryAcquireAsync(stoppingToken).ConfigureAwait(false);
                if (lease is null)
                {
                    slots.Release();
                    await jobQueue.WaitAsync(_options.WorkerPollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunAndReleaseSlotAsync(lease, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    private async Task<JobLease?> TryAcquireAsync(CancellationToken stoppingToken)
    {
        try
        {
            var holder = $"{WorkerId}/{Interlocked.Increment(ref _acquisitions)}";
            var lease = await storage.Jobs.AcquireNextAsync(holder, _options.JobLeaseDuration, stoppingToken).ConfigureAwait(false);
            storageHealth.WorkerCallSucceeded();
            if (_storeUnavailable)
            {
                _storeUnavailable = false;
                LogStoreAvailableAgain();
            }

            return lease;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Looked for every poll interval while idle: between jobs too, the health check learns of an outage from here.
            var failure = storageHealth.WorkerCallFailed(e);
            if (failure.Kind == StorageFailureKind.Unavailable)
            {
                // Once per outage: the worker looks again every poll interval.
                if (!_storeUnavailable)
                {
                    _storeUnavailable = true;
                    LogAcquireUnavailable(failure.Reason);
                }
            }
            else
            {
                LogAcquireFailed(e);
            }

            return null;
        }
    }

    private async Task RunAndReleaseSlotAsync(JobLease lease, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            await RunAsync(lease, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    internal async Task RunAsync(JobLease lease, CancellationToken stoppingToken)
    {
        var job = lease.Job;
        using var activity = LeadImportTelemetry.ActivitySource.StartActivity("leadimport.job");
        activity?.SetTag("leadimport.job_id", job.JobId);
        activity?.SetTag("leadimport.total_rows", job.TotalRows);
        LogJobStarted(job.JobId, job.Counters.Processed, job.TotalRows);

        var control = new JobRunControl { CancelRequested = job.CancelRequested };
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewing = RenewLeaseAsync(lease, control, leaseLost, renewal.Token);
        try
        {
            var outcome = await engine.RunAsync(lease, control, leaseLost.Token).ConfigureAwait(false);
            switch (outcome)
            {
                case EngineOutcome.Completed:
                    await FinishAsync(lease, JobStatus.Completed, null).ConfigureAwait(false);
                    break;
                case EngineOutcome.Cancelled:
                    await FinishAsync(lease, JobStatus.Cancelled, null).ConfigureAwait(false);
                    break;
                default:
                    // The store holds progress this run did not make: give the job back so it resumes from there.
                    LogLeaseLost(job.JobId);
                    await ReleaseAsync(lease).ConfigureAwait(false);
                    break;
            }
        }
        catch (JobFailedException e)
        {
            LogJobFailed(job.JobId, e.Message, e.InnerException);
            await FinishAsync(lease, JobStatus.Failed, e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogJobInterrupted(job.JobId);
            await ReleaseAsync(lease).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            LogLeaseLost(job.JobId);
        }
        catch (Exception e)
        {
            LogJobCrashed(job.JobId, e);
            await FinishAsync(lease, JobStatus.Failed, "The import stopped on an unexpected error.").ConfigureAwait(false);
        }
        finally
        {
            await renewal.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
        }
    }

    private async Task RenewLeaseAsync(JobLease lease, JobRunControl control, CancellationTokenSource leaseLost, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.JobLeaseDuration / 3, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                LeaseRenewal renewal;
                try
                {
                    renewal = await storage.Jobs.RenewLeaseAsync(lease, _options.JobLeaseDuration, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Not fatal: the next renewal may succeed before the lease lapses, and a lapsed lease is caught at commit.
                    LogRenewFailed(lease.Job.JobId, e);
                    continue;
                }

                control.CancelRequested |= renewal.CancelRequested;
                if (!renewal.Held)
                {
                    await leaseLost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Gives the lease back; if the store is unavailable (a host stopping during an outage), the lease lapses instead.</summary>
    private async Task ReleaseAsync(JobLease lease)
    {
        try
        {
            await storage.Jobs.ReleaseLeaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogReleaseFailed(lease.Job.JobId, e);
        }
    }

    private async Task FinishAsync(JobLease lease, JobStatus status, string? reason)
    {
        try
        {
            if (await storage.FinishJobAsync(lease, status, reason, CancellationToken.None).ConfigureAwait(false))
            {
                metrics.RecordJob(status.ToApiName());
                LogJobFinished(lease.Job.JobId, status.ToApiName());
            }
        }
        catch (Exception e)
        {
            LogFinishFailed(lease.Job.JobId, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lead import worker started on storage {Storage} (scope {Scope})")]
    private partial void LogStorage(string storage, StorageScope scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} started at row {Processed} of {TotalRows}")]
    private partial void LogJobStarted(string jobId, long processed, long totalRows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} finished: {Status}")]
    private partial void LogJobFinished(string jobId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} failed: {Reason}")]
    private partial void LogJobFailed(string jobId, string reason, Exception? exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} stopped on an unexpected error")]
    private partial void LogJobCrashed(string jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} interrupted by shutdown; it resumes from its last checkpoint")]
    private partial void LogJobInterrupted(string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the store holds progress this run did not make (lease lost, or a lost answer); stopping without writing")]
    private partial void LogLeaseLost(string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for queued jobs; trying again")]
    private partial void LogAcquireFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for queued jobs, storage is unavailable: {Reason} Trying again every poll interval")]
    private partial void LogAcquireUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage is available again: looking for queued jobs")]
    private partial void LogStoreAvailableAgain();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: giving its lease back failed; another worker takes the job when the lease lapses")]
    private partial void LogReleaseFailed(string jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: renewing the lease failed")]
    private partial void LogRenewFailed(string jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: recording its end failed; it will be taken over when its lease lapses")]
    private partial void LogFinishFailed(string jobId, Exception exception);
}
