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

    /// <summary>
    /// The lead import's services for <paramref name="file"/> on the stores <paramref name="useStores"/> chooses, with the
    /// file previewed, its job started and the job's lease taken (<see cref="StartAsync"/>): a benchmark's iteration setup.
    /// </summary>
    public static (ServiceProvider Services, JobLease Lease) Start(byte[] file, Action<LeadImportBuilder> useStores)
    {
        var services = CreateServices(file.Length, useStores);
        return (services, StartAsync(services, new MemoryStream(file)).GetAwaiter().GetResult());
    }

    /// <summary>Previews <paramref name="file"/>, starts its job (<see cref="Request"/>, a dry run if asked) and takes the job's lease.</summary>
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

    /// <summary>
    /// Runs the whole leased job, as the worker does, and throws unless it completed (<see cref="RequireCompleted"/>):
    /// a job that failed would be measured, and pass a dry run, as fast.
    /// </summary>
    public static async Task RunAsync(ServiceProvider services, JobLease lease)
    {
        await services.GetServices<IHostedService>().OfType<JobWorker>().Single().RunAsync(lease, CancellationToken.None);
        var job = await services.GetRequiredService<IJobStore>().GetAsync(lease.Job.Ou, lease.Job.JobId, 0, CancellationToken.None);
        RequireCompleted(job?.Status.ToString(), job?.Counters.Processed, job?.Counters.Created, lease.Job.Settings.DryRun);
    }

    /// <summary>Throws unless a job ended completed, having processed rows and, unless it was a dry run, created leads.</summary>
    public static void RequireCompleted(string? status, long? processed, long? created, bool dryRun = false)
    {
        if (!string.Equals(status, "completed", StringComparison.OrdinalIgnoreCase) || processed is null or 0 || (!dryRun && created is null or 0))
        {
            throw new InvalidOperationException($"The job ended {status} with {processed} rows processed and {created} leads created.");
        }
    }
}
