using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>The import job the import benchmarks run, whatever the stores: one file, the same mappings, the worker.</summary>
internal static class ImportJobs
{
    /// <summary>The lead import's services for files up to <paramref name="maxFileBytes"/>, on the stores <paramref name="useStores"/> chooses.</summary>
    public static ServiceProvider CreateServices(long maxFileBytes, Action<LeadImportBuilder> useStores)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        useStores(services.AddLeadImport(o => o.MaxFileBytes = maxFileBytes));
        return services.BuildServiceProvider();
    }

    /// <summary>Previews <paramref name="file"/>, starts its job (<see cref="Request"/>) and takes the job's lease.</summary>
    public static JobLease Start(ServiceProvider services, byte[] file) => StartAsync(services, new MemoryStream(file)).GetAwaiter().GetResult();

    /// <inheritdoc cref="Start"/>
    public static async Task<JobLease> StartAsync(ServiceProvider services, Stream file, bool dryRun = false)
    {
        var import = services.GetRequiredService<ILeadImportService>();
        var preview = await import.PreviewAsync("ou-bench", "leads.csv", file, CancellationToken.None);
        await import.StartAsync("ou-bench", Request(preview.FileId) with { DryRun = dryRun }, CancellationToken.None);
        return await services.GetRequiredService<IJobStore>().AcquireNextAsync("bench", TimeSpan.FromMinutes(10), CancellationToken.None)
            ?? throw new InvalidOperationException("The started job could not be leased.");
    }

    /// <summary>The start of a <see cref="LeadFiles"/> file: email as the identifier, five fields, phone and LinkedIn aliases.</summary>
    public static StartImportRequest Request(string fileId) => new()
    {
        FileId = fileId,
        PrimaryIdentifier = new PrimaryIdentifierRequest("Email", "email"),
        FieldMappings = new Dictionary<string, string?> { ["First Name"] = "first_name", ["Last Name"] = "last_name", ["Company"] = "company", ["Job Title"] = "title", ["Notes"] = "notes" },
        AliasMappings = new Dictionary<string, string?> { ["Phone"] = "_alias_phone", ["LinkedIn"] = "_alias_social" },
    };

    /// <summary>Runs the whole leased job, as the worker does.</summary>
    public static Task RunAsync(ServiceProvider services, JobLease lease) =>
        services.GetServices<IHostedService>().OfType<JobWorker>().Single().RunAsync(lease, CancellationToken.None);
}
