using System.Text;
using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Preview;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kenbun.LeadImport.Tests.Support;

/// <summary>The lead import as a host registers it, on in-memory stores and a clock the test moves.</summary>
internal sealed class ImportHarness : IDisposable
{
    public const string Ou = "ou-test";

    private readonly ServiceProvider _provider;

    public ImportHarness(Action<LeadImportOptions>? configure = null, Action<LeadImportBuilder>? storage = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(Time);
        // A commit per batch unless a test says otherwise: what a test counts in commits does not then depend on timing.
        var builder = collection.AddLeadImport(o =>
        {
            o.MaxBatchesPerCommit = 1;
            configure?.Invoke(o);
        });
        (storage ?? (b => b.UseInMemoryStores()))(builder);
        services?.Invoke(collection);
        _provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));

    public ILeadImportService Service => _provider.GetRequiredService<ILeadImportService>();

    public LeadImportStorage Storage => _provider.GetRequiredService<LeadImportStorage>();

    public IImportFileStore Files => Storage.Files;

    /// <summary>How many uploads the in-memory storage holds, published or not: proves nothing was left behind.</summary>
    public int StoredFileCount => ((InMemoryStorage)Storage).FileCount;

    public LeadImportOptions Options => _provider.GetRequiredService<IOptions<LeadImportOptions>>().Value;

    public IServiceProvider Services => _provider;

    public IJobStore Jobs => Storage.Jobs;

    public ILeadStore Leads => Storage.Leads;

    /// <summary>Previews <paramref name="csv"/> and starts it with <paramref name="request"/>; nothing runs it until <see cref="RunNextJobAsync"/>.</summary>
    public async Task<StartImportResult> StartAsync(string csv, StartImportRequest request, string ou = Ou)
    {
        var preview = await PreviewAsync(csv, ou: ou);
        return await Service.StartAsync(ou, request with { FileId = preview.FileId }, CancellationToken.None);
    }

    /// <summary>Leases the next queued job and runs it on this thread as the worker would, returning the job after.</summary>
    public async Task<ImportJob> RunNextJobAsync(CancellationToken cancellationToken = default)
    {
        var worker = _provider.GetServices<IHostedService>().OfType<JobWorker>().Single();
        var lease = await Jobs.AcquireNextAsync("test-worker", TimeSpan.FromMinutes(5), CancellationToken.None)
            ?? throw new InvalidOperationException("No job is queued.");
        await worker.RunAsync(lease, cancellationToken);
        return (await Service.GetJobAsync(lease.Job.Ou, lease.Job.JobId, CancellationToken.None))!;
    }

    public Task<ImportPreview> PreviewAsync(string csv, string fileName = "leads.csv", string ou = Ou) =>
        PreviewAsync(Encoding.UTF8.GetBytes(csv), fileName, ou);

    public Task<ImportPreview> PreviewAsync(byte[] bytes, string fileName = "leads.csv", string ou = Ou) =>
        Service.PreviewAsync(ou, fileName, new MemoryStream(bytes), CancellationToken.None);

    public async Task<T> PreviewFailsAsync<T>(string csv)
        where T : Exception =>
        await Assert.ThrowsAsync<T>(() => PreviewAsync(csv));

    public async Task<T> PreviewFailsAsync<T>(byte[] bytes)
        where T : Exception =>
        await Assert.ThrowsAsync<T>(() => PreviewAsync(bytes));

    public void Dispose() => _provider.Dispose();
}
