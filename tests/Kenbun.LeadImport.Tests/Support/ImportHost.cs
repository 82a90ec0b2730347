using System.Text;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.Tests.Support;

/// <summary>A started host with the lead import on in-memory stores and its worker running: imports as a host runs them.</summary>
internal sealed class ImportHost : IAsyncDisposable
{
    public const string Ou = "ou-test";

    private readonly IHost _host;

    private ImportHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public ILeadImportService Service => _host.Services.GetRequiredService<ILeadImportService>();

    public LeadImportStorage Storage => _host.Services.GetRequiredService<LeadImportStorage>();

    public ILeadStore Leads => Storage.Leads;

    public IJobStore Jobs => Storage.Jobs;

    public IImportFileStore Files => Storage.Files;

    public static async Task<ImportHost> StartAsync(Action<LeadImportOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddLeadImport(o =>
        {
            o.WorkerPollInterval = TimeSpan.FromMilliseconds(20);
            configure?.Invoke(o);
        }).UseInMemoryStores();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new ImportHost(host);
    }

    public async Task<string> PreviewAsync(string csv, string ou = Ou) =>
        (await Service.PreviewAsync(ou, "leads.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None)).FileId;

    /// <summary>Previews <paramref name="csv"/>, starts it with <paramref name="request"/> (its file id filled in) and waits for the job to end.</summary>
    public async Task<ImportJob> ImportAsync(string csv, StartImportRequest request, string ou = Ou)
    {
        var fileId = await PreviewAsync(csv, ou);
        var result = await Service.StartAsync(ou, request with { FileId = fileId }, CancellationToken.None);
        var started = Assert.IsType<StartImportResult.Started>(result);
        return await WaitForEndAsync(started.Job.JobId, ou);
    }

    public async Task<ImportJob> WaitForEndAsync(string jobId, string ou = Ou)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var job = await Service.GetJobAsync(ou, jobId, CancellationToken.None);
            Assert.NotNull(job);
            if (job.Status.IsFinal())
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Job {jobId} did not finish; it is {job.Status} at row {job.Counters.Processed}.");
            await Task.Delay(10);
        }
    }

    public Task<Lead?> FindLeadAsync(IdentifierKind kind, string normalizedValue, string ou = Ou) =>
        Leads.FindAsync(ou, new IdentifierKey(kind, normalizedValue), CancellationToken.None).AsTask();

    public async Task<IReadOnlyList<Lead>> AllLeadsAsync(string ou = Ou) =>
        (await Leads.ListAsync(ou, 1, int.MaxValue, CancellationToken.None)).Items;

    public static StartImportRequest ByEmail(
        string column = "Email", IReadOnlyDictionary<string, string?>? fields = null, IReadOnlyDictionary<string, string?>? aliases = null, string? mode = null, bool dryRun = false) =>
        new()
        {
            PrimaryIdentifier = new PrimaryIdentifierRequest(column, "email"),
            FieldMappings = fields,
            AliasMappings = aliases,
            Mode = mode,
            DryRun = dryRun,
        };

    /// <summary>Stops the host's services (the job worker among them) and keeps its service provider for a look afterwards.</summary>
    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
