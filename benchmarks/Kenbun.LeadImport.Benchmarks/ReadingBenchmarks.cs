using BenchmarkDotNet.Attributes;
using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Engine;
using Kenbun.LeadImport.Start;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// The read stage of an import, as the engine runs it: the file read record by record (<see cref="CsvFileReader"/>:
/// structure checks, blank records, NFC), every row validated and its identifiers normalised into recycled batches
/// (<see cref="RowPreparer"/>, the job's mappings of <see cref="ImportJobs.Request"/>), against CsvHelper reading every
/// cell (the baseline). Rows per second = <see cref="Rows"/> / mean time.
/// </summary>
[MemoryDiagnoser]
public class ReadingBenchmarks
{
    private static readonly CsvFileFormat Format = new(CsvTextEncoding.Utf8, HasByteOrderMark: false, ',');

    private readonly LeadImportOptions _options = new();
    private byte[] _file = [];
    private ColumnPlan _plan = null!;

    [Params(100_000)]
    public int Rows { get; set; }

    /// <summary>Generates the file and resolves the job's mappings against its header, as a start request does.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _file = LeadFiles.Generate(Rows);
        var headers = LeadFiles.Header.Split(',');
        var validator = new StartRequestValidator(_options.ProfileFields, _options.MaxColumns, _options.DefaultPhoneRegion);
        var (settings, errors, _) = validator.Resolve(ImportJobs.Request("benchmark"), headers);
        _plan = new ColumnPlan(headers, settings ?? throw new InvalidOperationException($"The job's mappings do not fit the file: {string.Join("; ", errors.Keys)}."));
    }

    [Benchmark(Baseline = true)]
    public long CsvHelperAlone() => BareCsvHelper.ReadEveryCell(_file);

    /// <summary>Reads and prepares every row, a batch at a time; returns the number of the last row.</summary>
    [Benchmark]
    public async Task<long> ReadAndValidate()
    {
        using var reader = await CsvFileReader.OpenAsync(new MemoryStream(_file, writable: false), Format, CsvReadLimits.From(_options), CancellationToken.None);
        var preparer = new RowPreparer(_plan, _options.MaxCellLength);
        var batch = new RowBatch(_options.BatchSize, _plan);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            batch.KeepRawRecord(batch.Count, reader.RawRecord);
            preparer.Prepare(reader, batch);
            if (batch.Count == batch.Capacity)
            {
                batch.Reset();
            }
        }

        return reader.RowNumber;
    }
}
