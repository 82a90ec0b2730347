using System.Globalization;
using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kenbun.LeadImport.Health;

/// <summary>
/// Reports the lead import: unhealthy while its storage is unavailable (a job is stalled on it, the worker's last call
/// found it unavailable, or the check's own probe — a tiny upload written and deleted — cannot write, say on a full
/// disk), or when the job worker has stopped; healthy otherwise. The data names the storage, its
/// <see cref="StorageScope"/> and the worker's state, and while the store is unavailable says since when, why, and how
/// many jobs wait, and otherwise how many jobs are queued and how long the oldest has waited
/// (<c>queued_jobs</c>, <c>oldest_queued_seconds</c>); the description is written for people. Without the lead import registered (no
/// <see cref="StorageHealth"/>) it reports the failure status and says what to call.
/// </summary>
internal sealed class LeadImportHealthCheck(StorageHealth? health, LeadImportStorage? storage, JobWorker? worker, TimeProvider timeProvider) : IHealthCheck
{
    /// <summary>The OU the probe writes under; no tenant's OU starts with <c>~</c>, and the probe's file expires in a minute.</summary>
    internal const string ProbeOu = "~lead-import-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (health is null || storage is null)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus, "The lead import is not registered: call services.AddLeadImport() as well as AddLeadImport() on the health checks.");
        }

        var data = new Dictionary<string, object>
        {
            ["storage"] = storage.GetType().Name,
            ["scope"] = storage.Scope.ToString(),
            ["worker"] = worker?.ExecuteTask is not { } loop ? "not started" : loop.IsCompleted ? "stopped" : "running",
        };
        var snapshot = health.Snapshot();
        if (snapshot.Outage is { } outage)
        {
            data["unavailable_since"] = outage.Since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            data["reason"] = outage.Reason;
            data["stalled_jobs"] = snapshot.StalledJobs;
            return new HealthCheckResult(context.Registration.FailureStatus, $"The lead import's storage is unavailable: {outage.Reason}", data: data);
        }

        if (await ProbeAsync(data, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            data["reason"] = failure.Reason;
            data["out_of_space"] = failure.IsOutOfSpace;
            return new HealthCheckResult(context.Registration.FailureStatus, $"The lead import's storage cannot be written: {failure.Reason}", data: data);
        }

        return (string)data["worker"] == "stopped"
            ? new HealthCheckResult(context.Registration.FailureStatus, "The lead import's job worker has stopped: queued imports do not run.", data: data)
            : HealthCheckResult.Healthy("The lead import's storage is available.", data);
    }

    /// <summary>
    /// Writes and deletes a tiny upload, then reads the queue into <paramref name="data"/>; <see langword="null"/> when all
    /// worked, else how the store classified the failure.
    /// </summary>
    private async Task<StorageFailure?> ProbeAsync(Dictionary<string, object> data, CancellationToken cancellationToken)
    {
        var fileId = ImportIds.NewFileId();
        try
        {
            using var probe = new MemoryStream("probe"u8.ToArray(), writable: false);
            await storage!.Files.WriteContentAsync(ProbeOu, fileId, timeProvider.GetUtcNow().AddMinutes(1), probe, cancellationToken).ConfigureAwait(false);
            await storage.Files.DeleteAsync(ProbeOu, fileId, cancellationToken).ConfigureAwait(false);
            var queue = await storage.Jobs.GetQueueStatusAsync(cancellationToken).ConfigureAwait(false);
            data["queued_jobs"] = queue.QueuedJobs;
            if (queue.OldestQueuedAt is { } oldest)
            {
                data["oldest_queued_seconds"] = (long)(timeProvider.GetUtcNow() - oldest).TotalSeconds;
            }

            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return storage!.ClassifyFailure(e);
        }
    }
}
