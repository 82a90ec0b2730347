using System.Globalization;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kenbun.LeadImport.Health;

/// <summary>
/// Reports the lead import's storage: unhealthy while it is unavailable (a job is stalled on it, or the worker's last
/// call found it unavailable), healthy otherwise. The data names the storage and its <see cref="StorageScope"/>, and
/// while it is unavailable says since when, why, and how many jobs wait; the description is the store's reason,
/// written for people. Without the lead import registered (no
/// <see cref="StorageHealth"/>) it reports the failure status and says what to call.
/// </summary>
internal sealed class LeadImportHealthCheck(StorageHealth? health, LeadImportStorage? storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (health is null || storage is null)
        {
            return Task.FromResult(new HealthCheckResult(
                context.Registration.FailureStatus, "The lead import is not registered: call services.AddLeadImport() as well as AddLeadImport() on the health checks."));
        }

        var data = new Dictionary<string, object> { ["storage"] = storage.GetType().Name, ["scope"] = storage.Scope.ToString() };
        var snapshot = health.Snapshot();
        if (snapshot.Outage is not { } outage)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The lead import's storage is available.", data));
        }

        data["unavailable_since"] = outage.Since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        data["reason"] = outage.Reason;
        data["stalled_jobs"] = snapshot.StalledJobs;
        return Task.FromResult(new HealthCheckResult(
            context.Registration.FailureStatus, $"The lead import's storage is unavailable: {outage.Reason}", data: data));
    }
}
