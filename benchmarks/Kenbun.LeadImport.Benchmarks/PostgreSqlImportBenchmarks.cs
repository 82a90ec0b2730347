using BenchmarkDotNet.Attributes;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// One whole import of the file of <see cref="ImportBenchmarks"/> on PostgreSQL, three ways, each iteration in a fresh
/// database of a server the benchmark starts (<see cref="PostgresCluster"/>, durable: <c>fsync</c> on): the baseline, a
/// hand-written dedup by email from C# (<see cref="HandWrittenDedup"/>: <c>COPY … FROM STDIN (FORMAT csv)</c> into a
/// temporary table → one <c>INSERT … SELECT DISTINCT ON … ON CONFLICT (email) DO UPDATE</c>, one transaction); the same
/// work as the engine written by hand (<see cref="ByHandImport"/>); and the engine on <c>UsePostgreSql</c>. The tables,
/// or the preview, start and lease, are made in the iteration setup, outside the timing. Rows per second =
/// <see cref="Rows"/> / mean time.
/// </summary>
[MemoryDiagnoser]
public class PostgreSqlImportBenchmarks
{
    private byte[] _file = [];
    private PostgresCluster? _cluster;
    private PostgreSqlTempDatabase? _database;
    private NpgsqlConnection? _connection;
    private PostgreSqlByHandStore? _byHand;
    private ServiceProvider? _services;
    private JobLease? _lease;

    [Params(100_000)]
    public int Rows { get; set; }

    /// <summary>Generates the file and starts the server.</summary>
    [GlobalSetup]
    public async Task StartServer()
    {
        _file = LeadFiles.Generate(Rows);
        _cluster = new PostgresCluster(durable: true);
        await _cluster.StartAsync();
    }

    /// <summary>A fresh database with the hand-written dedup's empty tables.</summary>
    [IterationSetup(Target = nameof(DedupByHand))]
    public void CreateDedupTables() => CreateDatabase(HandWrittenDedup.PostgreSqlTables);

    /// <summary>A fresh database with the tables of the import by hand.</summary>
    [IterationSetup(Target = nameof(SameWorkByHand))]
    public void CreateByHandTables()
    {
        CreateDatabase(PostgreSqlByHandStore.Tables);
        _byHand = new PostgreSqlByHandStore(_connection!);
    }

    /// <summary>A fresh database and the engine's services on it, the job previewed, started and leased.</summary>
    [IterationSetup(Target = nameof(Engine))]
    public void StartJob()
    {
        var database = _database = PostgreSqlTempDatabase.CreateAsync(_cluster!).GetAwaiter().GetResult();
        (_services, _lease) = ImportJobs.Start(_file, stores => stores.UsePostgreSql(database.ConnectionString));
    }

    /// <summary>Copies the file into the staging table and dedups it in one statement, all in one transaction.</summary>
    [Benchmark(Baseline = true)]
    public async Task DedupByHand()
    {
        await using var transaction = await _connection!.BeginTransactionAsync();
        await using (var copy = await _connection.BeginTextImportAsync(HandWrittenDedup.PostgreSqlCopy("STDIN")))
        {
            using var text = new StreamReader(new MemoryStream(_file, writable: false));
            var buffer = new char[1 << 16];
            int read;
            while ((read = await text.ReadAsync(buffer)) > 0)
            {
                await copy.WriteAsync(buffer.AsMemory(0, read));
            }
        }

        await using var upsert = new NpgsqlCommand(HandWrittenDedup.PostgreSqlUpsert, _connection, transaction);
        await upsert.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>The engine's work written by hand for PostgreSQL (<see cref="PostgreSqlByHandStore"/>).</summary>
    [Benchmark]
    public Task<long> SameWorkByHand() => ByHandImport.RunAsync(_file, _byHand!);

    /// <summary>The whole leased job, as the worker runs it.</summary>
    [Benchmark]
    public Task Engine() => ImportJobs.RunAsync(_services!, _lease!);

    [IterationCleanup]
    public void DropDatabase()
    {
        _connection?.Dispose();
        _services?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _database?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        (_byHand, _connection, _services, _lease, _database) = (null, null, null, null, null);
    }

    /// <summary>Stops the server and deletes its folder.</summary>
    [GlobalCleanup]
    public async Task StopServer()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    private void CreateDatabase(string tables)
    {
        _database = PostgreSqlTempDatabase.CreateAsync(_cluster!).GetAwaiter().GetResult();
        _connection = new NpgsqlConnection(_database.ConnectionString);
        _connection.Open();
        using var command = new NpgsqlCommand(tables, _connection);
        command.ExecuteNonQuery();
    }
}
