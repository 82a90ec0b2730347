using System.Diagnostics.Metrics;
using Kenbun.LeadImport;
using Kenbun.LeadImport.Engine;
using Kenbun.LeadImport.Health;
using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the lead import in a service collection.</summary>
public static class LeadImportServiceCollectionExtensions
{
    /// <summary>
    /// Adds the lead import: <see cref="ILeadImportService"/>, its options (bound from the <c>LeadImport</c>
    /// configuration section, then <paramref name="configure"/>, validated when the host starts) and the sweep of
    /// expired files, and the data migrations of stored identifiers that ship with it (run when the host starts). Choose the storage on the returned builder; it classifies its own failures
    /// (<see cref="LeadImportStorage.FailureClassifier"/>). Add the
    /// health check with <c>services.AddHealthChecks().AddLeadImport()</c>. Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    public static LeadImportBuilder AddLeadImport(this IServiceCollection services, Action<LeadImportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        if (!services.Any(descriptor => descriptor.ServiceType == typeof(LeadImportMarker)))
        {
            services.AddSingleton<LeadImportMarker>();
            services.AddOptions<LeadImportOptions>()
                .Configure<IServiceProvider>(BindConfiguration)
                .ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LeadImportOptions>, LeadImportOptionsValidator>());
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<ILeadImportService, LeadImportService>();
            services.TryAddSingleton<LeadImportStorage>(_ => throw NoStore());
            services.TryAddSingleton(provider => provider.GetRequiredService<LeadImportStorage>().Files);
            services.TryAddSingleton(provider => provider.GetRequiredService<LeadImportStorage>().Jobs);
            services.TryAddSingleton(provider => provider.GetRequiredService<LeadImportStorage>().Leads);
            services.TryAddSingleton(provider => new StorageHealth(
                provider.GetRequiredService<LeadImportStorage>().FailureClassifier, provider.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<JobQueueSignal>();
            services.TryAddSingleton(provider => new LeadImportMetrics(provider.GetService<IMeterFactory>(), provider.GetRequiredService<StorageHealth>()));
            services.TryAddSingleton(provider => new ImportEngine(
                provider.GetRequiredService<LeadImportStorage>(),
                provider.GetRequiredService<StorageHealth>(),
                provider.GetRequiredService<IOptions<LeadImportOptions>>().Value,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<LeadImportMetrics>(),
                provider.GetRequiredService<ILoggerFactory>().CreateLogger<ImportEngine>()));
            services.AddHostedService<IdentifierRewriteRunner>(); // before the worker: jobs look identifiers up by the new rules
            services.AddHostedService<RetentionSweeper>();
            services.AddHostedService<JobWorker>();
            services.AddHostedService<JobQueueListening>();
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new LeadImportBuilder(services);
    }

    private static InvalidOperationException NoStore() => new(
        "No lead import storage is configured. Chain a store onto AddLeadImport(), e.g. services.AddLeadImport().UseInMemoryStores().");

    private static void BindConfiguration(LeadImportOptions options, IServiceProvider provider)
    {
        var section = provider.GetService<IConfiguration>()?.GetSection(LeadImportOptions.SectionName);
        if (section is null || !section.Exists())
        {
            return;
        }

        // The binder appends to a list that already holds the defaults; a configured list replaces them instead.
        if (section.GetSection(nameof(LeadImportOptions.ProfileFields)).GetChildren().Any())
        {
            options.ProfileFields = [];
        }

        // A key no option has (a typo, or a name from an earlier version) stops the host instead of being ignored. Every
        // option is a value, a list or a dictionary, so the section's own keys are all there is to check.
        if (section.GetChildren().FirstOrDefault(child => !OptionNames.Contains(child.Key) && !StoreKeys.Contains(child.Key)) is { } unknown)
        {
            throw new InvalidOperationException(
                $"The configuration key '{unknown.Path}' is not a lead import option. The options are: {string.Join(", ", OptionNames.Order(StringComparer.Ordinal))}" +
                $" (and {string.Join(", ", StoreKeys)}, which belong to the choice of store).");
        }

        section.Bind(options);
    }

    private static readonly HashSet<string> OptionNames = new(
        typeof(LeadImportOptions).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Keys of the section that are not these options but the host's choice of store: <c>LeadImport:Storage</c> (which
    /// store a host such as the sample uses) and the providers' own sections (<c>LeadImport:PostgreSql</c>).
    /// </summary>
    private static readonly HashSet<string> StoreKeys = new(["Storage", "Sqlite", "PostgreSql"], StringComparer.OrdinalIgnoreCase);
}

/// <summary>Marks a service collection that <see cref="LeadImportServiceCollectionExtensions.AddLeadImport"/> has run on.</summary>
internal sealed class LeadImportMarker;
