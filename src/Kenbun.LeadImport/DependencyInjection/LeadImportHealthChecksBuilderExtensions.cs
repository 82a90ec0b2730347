using Kenbun.LeadImport.Health;
using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the lead import's storage to a host's health checks.</summary>
public static class LeadImportHealthChecksBuilderExtensions
{
    /// <summary>The name the check is registered under unless another is given.</summary>
    public const string DefaultName = "leadimport_storage";

    /// <summary>
    /// Adds a check that reports the lead import's storage unhealthy while it is unavailable — a job is stalled on it, or
    /// the worker's last call found it unavailable — and healthy otherwise:
    /// <c>services.AddHealthChecks().AddLeadImport()</c>. It reads what the import has already seen and never calls the
    /// store, so it is cheap to run often. Without <see cref="LeadImportServiceCollectionExtensions.AddLeadImport"/> it
    /// reports unhealthy, saying to call it (the host's other checks still run).
    /// </summary>
    /// <param name="builder">The host's health checks.</param>
    /// <param name="name">The check's name (default <see cref="DefaultName"/>).</param>
    /// <param name="failureStatus">What an unavailable store reports (default <see cref="HealthStatus.Unhealthy"/>).</param>
    /// <param name="tags">Tags to filter checks by, e.g. <c>["ready"]</c> for a readiness probe.</param>
    public static IHealthChecksBuilder AddLeadImport(
        this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            provider => provider.GetService<StorageHealth>() is { } health
                ? new LeadImportHealthCheck(
                    health,
                    provider.GetRequiredService<LeadImportStorage>(),
                    provider.GetServices<IHostedService>().OfType<JobWorker>().FirstOrDefault(),
                    provider.GetRequiredService<TimeProvider>())
                : new LeadImportHealthCheck(null, null, null, TimeProvider.System),
            failureStatus,
            tags));
    }
}
