using BenchmarkDotNet.Attributes;
using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// One whole import job on the in-memory stores: read, validate, dedup (about one email in five repeats) and
/// commit every row, as the worker runs it. The preview and start happen in the iteration setup, outside the timing;
/// each iteration imports into fresh stores. Rows per second = <see cref="Rows"/> / mean time.
/// </summary>
[MemoryDiagnoser]
public class ImportBenchmarks
{
    private byte[] _file = [];
    private ServiceProvider? _services;
    private JobLease? _lease;

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => _file = LeadFiles.Generate(Rows);

    [IterationSetup]
    public void StartJob()
    {
        _services?.Dispose();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLeadImport(o => o.MaxFileBytes = _file.Length).UseInMemoryStores();
        _services = services.BuildServiceProvider();
        var import = _services.GetRequiredService<ILeadImportService>();
        var preview = import.PreviewAsync("ou-bench", "leads.csv", new MemoryStream(_file), CancellationToken.None).GetAwaiter().GetResult();
        var request = new StartImportRequest
        {
            FileId = preview.FileId,
            PrimaryIdentifier = new PrimaryIdentifierRequest("Email", "email"),
            FieldMappings = new Dictionary<string, string?> { ["First Name"] = "first_name", ["Last Name"] = "last_name", ["Company"] = "company", ["Job Title"] = "title", ["City"] = "city" },
            AliasMappings = new Dictionary<string, string?> { ["Phone"] = "_alias_phone" },
        };
        import.StartAsync("ou-bench", request, CancellationToken.None).GetAwaiter().GetResult();
        _lease = _services.GetRequiredService<IJobStore>().AcquireNextAsync("bench", TimeSpan.FromMinutes(10), CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public Task Import() =>
        _services!.GetServices<IHostedService>().OfType<JobWorker>().Single().RunAsync(_lease!, CancellationToken.None);

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();
}
