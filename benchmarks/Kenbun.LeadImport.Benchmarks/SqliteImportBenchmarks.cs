using BenchmarkDotNet.Attributes;
using CsvHelper;
using Kenbun.LeadImport.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// One whole import of the file of <see cref="ImportBenchmarks"/> on SQLite, three ways, each iteration on a fresh
/// database file in a fresh temp folder: the baseline, a hand-written dedup by email from C#
/// (<see cref="HandWrittenDedup"/>: CsvHelper → a prepared <c>INSERT</c> per row into a staging table → one
/// <c>INSERT … SELECT … ON CONFLICT (email) DO UPDATE</c>, one transaction, the library's settings); the same work as
/// the engine written by hand (<see cref="ByHandImport"/>); and the engine on <c>UseSqlite</c>, reading the upload from
/// and committing leads, identifiers and checkpoints to the database. The tables, or the preview, start and lease, are
/// made in the iteration setup, outside the timing. Rows per second = <see cref="Rows"/> / mean time.
/// </summary>
[MemoryDiagnoser]
public class SqliteImportBenchmarks
{
    private byte[] _file = [];
    private SqliteTempDatabase? _database;
    private SqliteConnection? _connection;
    private SqliteByHandStore? _byHand;
    private ServiceProvider? _services;
    private JobLease? _lease;

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => _file = LeadFiles.Generate(Rows);

    /// <summary>A fresh database with the library's settings and the hand-written dedup's empty tables.</summary>
    [IterationSetup(Target = nameof(DedupByHand))]
    public void CreateDedupTables() => CreateDatabase(HandWrittenDedup.SqliteTables);

    /// <summary>A fresh database with the library's settings and the tables of the import by hand.</summary>
    [IterationSetup(Target = nameof(SameWorkByHand))]
    public void CreateByHandTables()
    {
        CreateDatabase(SqliteByHandStore.Tables);
        _byHand = new SqliteByHandStore(_connection!);
    }

    /// <summary>A fresh database and the engine's services on it, the job previewed, started and leased.</summary>
    [IterationSetup(Target = nameof(Engine))]
    public void StartJob()
    {
        var database = _database = new SqliteTempDatabase();
        (_services, _lease) = ImportJobs.Start(_file, stores => stores.UseSqlite(database.ConnectionString));
    }

    /// <summary>Stages every row with one prepared statement and dedups them in one statement, all in one transaction.</summary>
    [Benchmark(Baseline = true)]
    public void DedupByHand()
    {
        using var transaction = _connection!.BeginTransaction();
        using var stage = _connection.CreateCommand();
        var cells = new SqliteParameter[HandWrittenDedup.ColumnNames.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = stage.Parameters.Add($"$c{i}", SqliteType.Text);
        }

        stage.CommandText = $"INSERT INTO staging VALUES ({string.Join(", ", cells.Select(c => c.ParameterName))})";
        stage.Prepare();
        using var csv = CsvReader.Create(_file, new CsvReaderOptions { HasHeader = true });
        while (csv.Read())
        {
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i].Value = csv.GetString(i);
            }

            stage.ExecuteNonQuery();
        }

        using var upsert = _connection.CreateCommand();
        upsert.CommandText = HandWrittenDedup.SqliteUpsert;
        upsert.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>The engine's work written by hand for SQLite (<see cref="SqliteByHandStore"/>).</summary>
    [Benchmark]
    public Task<long> SameWorkByHand() => ByHandImport.RunAsync(_file, _byHand!);

    /// <summary>The whole leased job, as the worker runs it.</summary>
    [Benchmark]
    public Task Engine() => ImportJobs.RunAsync(_services!, _lease!);

    [IterationCleanup]
    public void DeleteDatabase()
    {
        _byHand?.Dispose();
        _connection?.Dispose();
        _services?.Dispose();
        _database?.Dispose();
        (_byHand, _connection, _services, _lease, _database) = (null, null, null, null, null);
    }

    private void CreateDatabase(string tables)
    {
        _database = new SqliteTempDatabase();
        _connection = new SqliteConnection(_database.ConnectionString);
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = HandWrittenDedup.SqlitePragmas + tables;
        command.ExecuteNonQuery();
    }
}
