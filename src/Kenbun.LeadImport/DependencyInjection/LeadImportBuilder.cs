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

    /// <summary>Keeps files, jobs and leads in process memory (<see cref="InMemoryStorage"/>): for tests and prototypes, not durable.</summary>
    public LeadImportBuilder UseInMemoryStores() =>
        UseStorage(provider => new InMemoryStorage(provider.GetRequiredService<TimeProvider>()));

    /// <summary>
    /// Stores through <paramref name="createStorage"/>: the one call a storage provider's own <c>Use…</c> method makes.
    /// A later call replaces an earlier one; the faces (<see cref="IImportFileStore"/>, <see cref="IJobStore"/>,
    /// <see cref="ILeadStore"/>) resolve from the chosen storage.
    /// </summary>
    public LeadImportBuilder UseStorage(Func<IServiceProvider, LeadImportStorage> createStorage)
    {
        ArgumentNullException.ThrowIfNull(createStorage);
        Services.Replace(ServiceDescriptor.Singleton(createStorage));
        return this;
    }
}
