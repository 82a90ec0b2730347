using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <see cref="LeadImportServiceCollectionExtensions.AddLeadImport"/> so storage providers
/// chain onto it: <c>services.AddLeadImport(…).UseInMemoryStores()</c>.
/// </summary>
public sealed class LeadImportBuilder
{
    internal LeadImportBuilder(IServiceCollection services) => Services = services;

    /// <summary>The services the lead import is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Keeps files, jobs and leads in process memory: for tests and prototypes, not durable. Their failures are
    /// classified by <see cref="DefaultStorageFailureClassifier"/>: in memory, every failure is a defect.
    /// </summary>
    public LeadImportBuilder UseInMemoryStores()
    {
        Services.Replace(ServiceDescriptor.Singleton<IStorageFailureClassifier>(DefaultStorageFailureClassifier.Instance));
        Services.Replace(ServiceDescriptor.Singleton<IImportFileStore, InMemoryImportFileStore>());
        Services.TryAddSingleton<InMemoryJobStore>();
        Services.Replace(ServiceDescriptor.Singleton<IJobStore>(provider => provider.GetRequiredService<InMemoryJobStore>()));
        Services.Replace(ServiceDescriptor.Singleton<ILeadStore>(provider => new InMemoryLeadStore(provider.GetRequiredService<InMemoryJobStore>())));
        return this;
    }

    /// <summary>Keeps uploaded files in <paramref name="directory"/> (default: a folder under the system temp folder).</summary>
    public LeadImportBuilder UseTempDirectoryFileStore(string? directory = null)
    {
        Services.Replace(ServiceDescriptor.Singleton<IImportFileStore>(
            provider => new TempDirectoryImportFileStore(provider.GetRequiredService<TimeProvider>(), directory)));
        return this;
    }
}
