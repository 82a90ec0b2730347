using System.Diagnostics;
using System.Globalization;
using Kenbun.LeadImport.Testing.Processes;
using Npgsql;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// The SQL a database expert would write by hand to dedup a <see cref="LeadFiles"/> file by email: the file into a
/// staging table, then one <c>INSERT … ON CONFLICT (email) DO UPDATE</c> with the email trimmed and lower-cased and
/// empty cells keeping what was there (<c>COALESCE(NULLIF(…))</c>). No identifiers but the email, no validation, no
/// errors, no progress, one transaction. The macro mode runs it in the database's own command-line client on a fresh
/// database, timed as a whole (the client's start included): <c>sqlite3</c> stages the file with <c>.import</c>,
/// <c>psql</c> with <c>\copy</c>. The baselines of <see cref="SqliteImportBenchmarks"/> and
/// <see cref="PostgreSqlImportBenchmarks"/> run the same statements from C#.
/// </summary>
internal static class HandWrittenDedup
{
    /// <summary>The staging table's columns: the file's, in its order.</summary>
    public static readonly string[] ColumnNames = ["email", "first_name", "last_name", "company", "title", "phone", "linkedin", "notes"];

    private static readonly string Columns = string.Join(", ", ColumnNames);

    /// <summary>The settings the library gives a SQLite database: 16 KB pages, WAL, <c>synchronous = NORMAL</c>, a 16 MiB cache.</summary>
    public const string SqlitePragmas = """
        PRAGMA page_size = 16384;
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA cache_size = -16384;
        """;

    private const string Leads = """
        CREATE TABLE leads (
            id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE,
            first_name TEXT, last_name TEXT, company TEXT, title TEXT, phone TEXT, linkedin TEXT, notes TEXT);
        """;

    private const string Updates = """
        first_name = COALESCE(NULLIF(excluded.first_name, ''), leads.first_name),
        last_name = COALESCE(NULLIF(excluded.last_name, ''), leads.last_name),
        company = COALESCE(NULLIF(excluded.company, ''), leads.company),
        title = COALESCE(NULLIF(excluded.title, ''), leads.title),
        phone = COALESCE(NULLIF(excluded.phone, ''), leads.phone),
        linkedin = COALESCE(NULLIF(excluded.linkedin, ''), leads.linkedin),
        notes = COALESCE(NULLIF(excluded.notes, ''), leads.notes)
        """;

    /// <summary>SQLite's empty staging and lead tables.</summary>
    public static readonly string SqliteTables = $"CREATE TABLE staging ({Columns});\n{Leads}";

    /// <summary>
    /// SQLite's dedup of the staged rows into the leads, in file order (the rowid): the last row of an email wins, and its
    /// empty cells keep what was there.
    /// </summary>
    public static readonly string SqliteUpsert = $"""
        INSERT INTO leads ({Columns})
        SELECT lower(trim(email)), first_name, last_name, company, title, phone, linkedin, notes FROM staging
        WHERE trim(email) LIKE '%_@_%' ORDER BY rowid
        ON CONFLICT (email) DO UPDATE SET
        {Updates};
        """;

    /// <summary>PostgreSQL's empty staging table (temporary, numbered in file order) and lead table.</summary>
    public static readonly string PostgreSqlTables = $"""
        CREATE TEMP TABLE staging (email text, first_name text, last_name text, company text, title text, phone text, linkedin text, notes text, seq bigserial);
        {Leads.Replace("INTEGER PRIMARY KEY", "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY", StringComparison.Ordinal)}
        """;

    /// <summary>PostgreSQL's dedup of the staged rows: the last row of each email by <c>DISTINCT ON</c>, then <c>ON CONFLICT</c>.</summary>
    public static readonly string PostgreSqlUpsert = $"""
        INSERT INTO leads ({Columns})
        SELECT DISTINCT ON (lower(trim(email))) lower(trim(email)), first_name, last_name, company, title, phone, linkedin, notes FROM staging
        WHERE trim(email) LIKE '%_@_%' ORDER BY lower(trim(email)), seq DESC
        ON CONFLICT (email) DO UPDATE SET
        {Updates};
        """;

    /// <summary>PostgreSQL's <c>COPY</c> of a CSV file with its header into the staging table, from <paramref name="source"/> (<c>STDIN</c> or a quoted path).</summary>
    public static string PostgreSqlCopy(string source) => $"COPY staging ({Columns}) FROM {source} WITH (FORMAT csv, HEADER true)";

    /// <summary>The script for <c>sqlite3</c>: the library's settings (<see cref="SqlitePragmas"/>), <c>.import</c> into the staging table.</summary>
    public static string SqliteScript(string csvFile) => $"""
        {SqlitePragmas}
        BEGIN;
        {SqliteTables}
        .import --csv --skip 1 '{csvFile}' staging
        {SqliteUpsert}
        COMMIT;
        """;

    /// <summary>The script for <c>psql</c>: <c>\copy</c> to a temporary table, then <see cref="PostgreSqlUpsert"/>.</summary>
    public static string PostgreSqlScript(string csvFile) => $"""
        \set ON_ERROR_STOP on
        BEGIN;
        {PostgreSqlTables}
        \{PostgreSqlCopy($"'{csvFile}'")}
        {PostgreSqlUpsert}
        COMMIT;
        """;

    /// <summary>Runs the store's script on a fresh database (the in-memory store is measured against SQLite's); returns the seconds it took.</summary>
    public static async Task<double> RunAsync(string store, PostgresCluster? cluster, string csvFile)
    {
        using var database = new SqliteTempDatabase();
        var (program, arguments, script) = cluster is null
            ? ("sqlite3", new[] { database.FilePath }, SqliteScript(csvFile))
            : ("psql", new[] { "-q", "-X", "-d", ConnectionInfo(await cluster.CreateDatabaseAsync()) }, PostgreSqlScript(csvFile));
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        stopwatch.Stop();
        return process.ExitCode == 0 && (await error).Length == 0
            ? stopwatch.Elapsed.TotalSeconds
            : throw new InvalidOperationException($"{program} ({store}) exited with {process.ExitCode}: {await error}{await output}");
    }

    /// <summary>An Npgsql connection string as <c>psql</c> takes it (<c>host=… port=… user=… dbname=…</c>).</summary>
    private static string ConnectionInfo(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"host={builder.Host} port={builder.Port} user={builder.Username} dbname={builder.Database}");
    }
}
