using BenchmarkDotNet.Attributes;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// The preview of a whole file: store the upload (in memory), decide its encoding, read every record once to
/// validate and count it, detect identifier columns; against CsvHelper reading every cell of the same bytes (the
/// baseline). Rows per second = <see cref="Rows"/> / mean time.
/// </summary>
[MemoryDiagnoser]
public class PreviewBenchmarks
{
    private byte[] _file = [];
    private ServiceProvider _services = null!;
    private ILeadImportService _import = null!;
    private IImportFileStore _files = null!;

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _file = LeadFiles.Generate(Rows);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLeadImport(o =>
        {
            o.MaxFileBytes = _file.Length;
            o.MaxPreviewsPerOu = int.MaxValue;
        }).UseInMemoryStores();
        _services = services.BuildServiceProvider();
        _import = _services.GetRequiredService<ILeadImportService>();
        _files = _services.GetRequiredService<IImportFileStore>();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public long CsvHelperAlone() => BareCsvHelper.ReadEveryCell(_file);

    [Benchmark]
    public async Task<long> Preview()
    {
        var preview = await _import.PreviewAsync("ou-bench", "leads.csv", new MemoryStream(_file, writable: false), CancellationToken.None);
        await _files.DeleteAsync("ou-bench", preview.FileId, CancellationToken.None);
        return preview.RowCount;
    }
}
