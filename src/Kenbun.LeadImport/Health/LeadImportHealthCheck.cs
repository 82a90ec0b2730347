using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kenbun.LeadImport.Health;

/// <summary>
/// Reports the lead import's storage: unhealthy while it is unavailable (a job is stalled on it, or the worker's last
/// call found it unavailable), healthy otherwise. The data says since when, why, and how many jobs wait; the
/// description is the store's reason, written for people. Without the lead import registered (no
/// <see cref="StorageHealth"/>) it reports the failure status and says what to call.
/// </summary>
internal sealed class LeadImportHealthCheck(StorageHealth? health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (health is null)
        {
            return Task.FromResult(new HealthCheckResult(
                context.Registration.FailureStatus, "The lead import is not registered: call services.AddLeadImport() as well as AddLeadImport() on the health checks."));
        }

        var snapshot = health.Snapshot();
        if (snapshot.Outage is not { } outage)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The lead import's storage is available."));
        }

        var data = new Dictionary<string, object>
        {
            ["unavailable_since"] = outage.Since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["reason"] = outage.Reason,
            ["stalled_jobs"] = snapshot.StalledJobs,
        };
        return Task.FromResult(new HealthCheckResult(
            context.Registration.FailureStatus, $"The lead import's storage is unavailable: {outage.Reason}", data: data));
    }
}
