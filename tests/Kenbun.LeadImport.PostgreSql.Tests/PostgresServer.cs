using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kenbun.LeadImport.PostgreSql;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// A PostgreSQL 15 server of the tests' own: a fresh cluster in a temp folder, on a free loopback port, started as the
/// <c>postgres</c> user when the tests run as root (the server refuses root), stopped and deleted when disposed.
/// Shared by the assembly's tests through <see cref="PostgresCollection"/>; each test takes a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>Where Debian's PostgreSQL 15 keeps its server programs.</summary>
    private const string Binaries = "/usr/lib/postgresql/15/bin";

    private readonly string _folder = Directory.CreateTempSubdirectory("kenbun-pg-").FullName;
    private int _port;

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database = "postgres", bool pooling = false) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = _port, Username = "postgres", Database = database, Pooling = pooling }.ConnectionString;

    /// <summary>
    /// A store in a schema of its own (a new one each call, created on first use) in the database the tests share:
    /// an empty store without the cost of a database per test.
    /// </summary>
    internal PostgreSqlStorage Storage(TimeProvider timeProvider, string? schema = null) =>
        new(Database(schema), timeProvider);

    /// <summary>The store's database: a pool of its own on the shared test database, in a new schema unless one is named.</summary>
    internal PostgreSqlDatabase Database(string? schema = null, bool migrate = true) =>
        new(
            NpgsqlDataSource.Create(ConnectionString(SharedDatabase, pooling: true)),
            new PostgreSqlStoreOptions { Schema = schema ?? NewSchemaName(), MigrateSchemaAtStart = migrate },
            ownsDataSource: true);

    /// <summary>A schema name no test has used.</summary>
    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N");

    /// <summary>The database the tests' stores share, each in schemas of their own.</summary>
    public const string SharedDatabase = "lead_import_tests";

    /// <summary>Creates a database of its own for one test and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(Binaries, "pg_ctl")))
        {
            throw new InvalidOperationException($"The PostgreSQL tests need PostgreSQL 15's server programs in {Binaries}: apt-get install postgresql-15 (.ci/run does when they are missing).");
        }

        _port = FreePort();
        await RunAsync("chown", "-R", "postgres:postgres", _folder);
        await RunAsPostgresAsync(Path.Combine(Binaries, "initdb"), "-D", DataFolder, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await RunAsPostgresAsync(
            Path.Combine(Binaries, "pg_ctl"), "-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "120",
            "-o", $"-p {_port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400", "start");
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {SharedDatabase}", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_port != 0)
        {
            await RunAsPostgresAsync(Path.Combine(Binaries, "pg_ctl"), "-D", DataFolder, "-m", "immediate", "-w", "stop");
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(string program, params string[] arguments) =>
        Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}

/// <summary>The tests that share one <see cref="PostgresServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
