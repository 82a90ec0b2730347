using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>The import job the import benchmarks run, whatever the stores: one file, the same mappings, the worker.</summary>
internal static class ImportJobs
{
    /// <summary>The lead import's services for <paramref name="file"/>, on the stores <paramref name="useStores"/> chooses.</summary>
    public static ServiceProvider CreateServices(byte[] file, Action<LeadImportBuilder> useStores)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        useStores(services.AddLeadImport(o => o.MaxFileBytes = file.Length));
        return services.BuildServiceProvider();
    }

    /// <summary>Previews <paramref name="file"/>, starts its job (email as the identifier, five fields, a phone alias) and takes the job's lease.</summary>
    public static JobLease Start(ServiceProvider services, byte[] file)
    {
        var import = services.GetRequiredService<ILeadImportService>();
        var preview = import.PreviewAsync("ou-bench", "leads.csv", new MemoryStream(file), CancellationToken.None).GetAwaiter().GetResult();
        import.StartAsync("ou-bench", Request(preview.FileId), CancellationToken.None).GetAwaiter().GetResult();
        return services.GetRequiredService<IJobStore>().AcquireNextAsync("bench", TimeSpan.FromMinutes(10), CancellationToken.None).AsTask().GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("The started job could not be leased.");
    }

    /// <summary>The start of a <see cref="LeadFiles"/> file: email as the identifier, five fields, a phone alias.</summary>
    public static StartImportRequest Request(string fileId) => new()
    {
        FileId = fileId,
        PrimaryIdentifier = new PrimaryIdentifierRequest("Email", "email"),
        FieldMappings = new Dictionary<string, string?> { ["First Name"] = "first_name", ["Last Name"] = "last_name", ["Company"] = "company", ["Job Title"] = "title", ["City"] = "city" },
        AliasMappings = new Dictionary<string, string?> { ["Phone"] = "_alias_phone" },
    };

    /// <summary>Runs the whole leased job, as the worker does.</summary>
    public static Task RunAsync(ServiceProvider services, JobLease lease) =>
        services.GetServices<IHostedService>().OfType<JobWorker>().Single().RunAsync(lease, CancellationToken.None);
}
