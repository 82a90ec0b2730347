using BenchmarkDotNet.Attributes;
using CsvHelper;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// The yardstick for <see cref="SqliteImportBenchmarks"/>: a hand-written SQLite dedup of the same file. In one
/// transaction: read the file (from memory) with CsvHelper, insert every row's seven mapped cells into a staging
/// table with one prepared <c>INSERT</c>, then <c>INSERT INTO leads … SELECT … FROM staging … ON CONFLICT (email) DO
/// UPDATE</c> (email trimmed and lower-cased; a repeated email overwrites the other columns), and commit. No
/// validation, no errors or warnings, no job bookkeeping. Each iteration starts on a fresh database file in a fresh
/// temp folder (16 KB pages, WAL, <c>synchronous = NORMAL</c>, a 16 MiB cache: as the library sets) whose empty tables the iteration setup
/// creates, outside the timing. Rows per second = <see cref="Rows"/> / mean time.
/// </summary>
[MemoryDiagnoser]
public class SqliteHandWrittenBenchmarks
{
    private const string Schema = """
        PRAGMA page_size = 16384;
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA cache_size = -16384;
        CREATE TABLE leads (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            first_name TEXT, last_name TEXT, company TEXT, title TEXT, city TEXT, phone TEXT
        );
        CREATE TABLE staging (email TEXT, first_name TEXT, last_name TEXT, company TEXT, title TEXT, city TEXT, phone TEXT);
        """;

    private const string Stage = "INSERT INTO staging VALUES ($c0, $c1, $c2, $c3, $c4, $c5, $c6)";

    // WHERE true: without it SQLite would read ON as the start of a join constraint.
    private const string Upsert = """
        INSERT INTO leads (email, first_name, last_name, company, title, city, phone)
        SELECT lower(trim(email)), first_name, last_name, company, title, city, phone FROM staging WHERE true
        ON CONFLICT (email) DO UPDATE SET
            first_name = excluded.first_name, last_name = excluded.last_name, company = excluded.company,
            title = excluded.title, city = excluded.city, phone = excluded.phone
        """;

    /// <summary>The file's columns, in the order of the staging table's.</summary>
    private static readonly string[] Headers = ["Email", "First Name", "Last Name", "Company", "Job Title", "City", "Phone"];

    private byte[] _file = [];
    private SqliteTempDatabase? _database;
    private SqliteConnection? _connection;

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => _file = LeadFiles.Generate(Rows);

    [IterationSetup]
    public void CreateDatabase()
    {
        _database = new SqliteTempDatabase();
        _connection = new SqliteConnection(_database.ConnectionString);
        _connection.Open();
        using var schema = _connection.CreateCommand();
        schema.CommandText = Schema;
        schema.ExecuteNonQuery();
    }

    [Benchmark]
    public void Import()
    {
        using var transaction = _connection!.BeginTransaction();
        using var stage = _connection.CreateCommand();
        stage.CommandText = Stage;
        var cells = new SqliteParameter[Headers.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = stage.Parameters.Add($"$c{i}", SqliteType.Text);
        }

        stage.Prepare();
        using var csv = CsvReader.Create(_file, new CsvReaderOptions { HasHeader = true });
        var columns = Array.ConvertAll(Headers, csv.GetFieldIndex);
        while (csv.Read())
        {
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i].Value = csv.GetString(columns[i]);
            }

            stage.ExecuteNonQuery();
        }

        using var upsert = _connection.CreateCommand();
        upsert.CommandText = Upsert;
        upsert.ExecuteNonQuery();
        transaction.Commit();
    }

    [IterationCleanup]
    public void DeleteDatabase()
    {
        _connection?.Dispose();
        _database?.Dispose();
    }
}
