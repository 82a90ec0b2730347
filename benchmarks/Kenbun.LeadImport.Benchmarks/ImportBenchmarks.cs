using BenchmarkDotNet.Attributes;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// One whole import job on the in-memory stores: read, validate, dedup (about one email in five repeats) and
/// commit every row, as the worker runs it, against CsvHelper reading every cell of the same bytes (the baseline). The
/// preview and start happen in the iteration setup, outside the timing; each iteration imports into fresh stores. Rows
/// per second = <see cref="Rows"/> / mean time.
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

    [IterationSetup(Target = nameof(Import))]
    public void StartJob()
    {
        _services?.Dispose();
        (_services, _lease) = ImportJobs.Start(_file, stores => stores.UseInMemoryStores());
    }

    [Benchmark(Baseline = true)]
    public long CsvHelperAlone() => BareCsvHelper.ReadEveryCell(_file);

    [Benchmark]
    public Task Import() => ImportJobs.RunAsync(_services!, _lease!);

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();
}
