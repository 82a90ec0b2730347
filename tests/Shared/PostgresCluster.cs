using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Kenbun.LeadImport.Testing.Processes;

/// <summary>
/// A PostgreSQL 15 server of the tests' own: a fresh cluster in a temp folder, on a free loopback port, started as the
/// <c>postgres</c> user when the tests run as root (the server refuses root), stopped and deleted when disposed.
/// Shared by an assembly's tests through an xunit collection fixture; each test takes a schema or database of its own.
/// Shared as source by the PostgreSQL tests and the benchmarks.
/// </summary>
/// <param name="durable">
/// Whether the server flushes its writes to disk (<c>fsync</c>), as a production server does; the tests run without it
/// (nothing of theirs survives a power cut anyway), the benchmarks with it.
/// </param>
public class PostgresCluster(bool durable = false) : IAsyncDisposable
{
    /// <summary>How to install the server where the tests look for it.</summary>
    public const string InstallHint = "apt-get install postgresql (Debian and Ubuntu put its server programs in /usr/lib/postgresql/<version>/bin; .ci/run installs it when missing)";

    /// <summary>The newest installed server's programs: Debian's /usr/lib/postgresql/&lt;version&gt;/bin, else the folder of pg_ctl on the PATH.</summary>
    public static string? Binaries { get; } = FindBinaries();

    private readonly string _folder = Directory.CreateTempSubdirectory("kenbun-pg-").FullName;
    private int _port;

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>The server's log (what it writes at level LOG and above, e.g. <c>auto_explain</c>'s plans).</summary>
    public string LogFile => Path.Combine(_folder, "server.log");

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database = "postgres", bool pooling = false) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = _port, Username = "postgres", Database = database, Pooling = pooling }.ConnectionString;

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

    /// <summary>Creates and starts the cluster.</summary>
    public async Task StartAsync()
    {
        if (Binaries is null)
        {
            throw new InvalidOperationException($"PostgreSQL's server programs (initdb, pg_ctl) were not found: {InstallHint}.");
        }

        _port = FreePort();
        await RunAsync("chown", "-R", "postgres:postgres", _folder);
        await RunAsPostgresAsync(Path.Combine(Binaries!, "initdb"), "-D", DataFolder, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await StartServerAsync();
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {SharedDatabase}", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Starts the server again after <see cref="StopServerAsync"/>, on the same port, with its data.</summary>
    public Task StartServerAsync() =>
        RunAsPostgresAsync(
            Path.Combine(Binaries!, "pg_ctl"), "-D", DataFolder, "-l", LogFile, "-w", "-t", "120",
            "-o", $"-p {_port} -k {_folder} -c listen_addresses=127.0.0.1 {(durable ? "" : "-c fsync=off ")}-c max_connections=400", "start");

    /// <summary>Stops the server (<c>pg_ctl stop -m fast</c>): connections are cut and new ones refused until <see cref="StartServerAsync"/>.</summary>
    public Task StopServerAsync() => RunAsPostgresAsync(Path.Combine(Binaries!, "pg_ctl"), "-D", DataFolder, "-m", "fast", "-w", "stop");

    /// <summary>Restarts the server (<c>pg_ctl restart -m fast</c>): every connection is cut, as in a database restart in production.</summary>
    public Task RestartAsync() =>
        RunAsPostgresAsync(Path.Combine(Binaries!, "pg_ctl"), "-D", DataFolder, "-l", LogFile, "-m", "fast", "-w", "-t", "120", "restart");

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_port != 0)
        {
            await RunAsPostgresAsync(Path.Combine(Binaries!, "pg_ctl"), "-D", DataFolder, "-m", "immediate", "-w", "stop");
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static string? FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var debian = versions
            .Select(folder => Path.Combine(folder, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "pg_ctl")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
            .FirstOrDefault();
        return debian ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).FirstOrDefault(folder => File.Exists(Path.Combine(folder, "pg_ctl")));
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
