using BenchmarkDotNet.Attributes;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// One whole import job on the SQLite stores (<c>UseSqlite</c>): the job of <see cref="ImportBenchmarks"/> — same
/// file and mappings — reading the upload from and committing leads, identifiers and checkpoints to a database file.
/// Each iteration starts on a fresh database file in a fresh temp folder; creating the schema, the preview, the
/// start and the lease happen in the iteration setup, outside the timing. Rows per second = <see cref="Rows"/> / mean time.
/// </summary>
[MemoryDiagnoser]
public class SqliteImportBenchmarks
{
    private byte[] _file = [];
    private SqliteTempDatabase? _database;
    private ServiceProvider? _services;
    private JobLease? _lease;

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => _file = LeadFiles.Generate(Rows);

    [IterationSetup]
    public void StartJob()
    {
        var database = _database = new SqliteTempDatabase();
        _services = ImportJobs.CreateServices(_file.Length, stores => stores.UseSqlite(database.ConnectionString));
        _lease = ImportJobs.Start(_services, _file);
    }

    [Benchmark]
    public Task Import() => ImportJobs.RunAsync(_services!, _lease!);

    [IterationCleanup]
    public void DeleteDatabase()
    {
        _services?.Dispose();
        _database?.Dispose();
    }
}
