using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Kenbun.LeadImport.Testing.Processes;

/// <summary>
/// The built sample host running as a child process on a given database: started the way an operator would start it
/// (<c>dotnet Kenbun.LeadImport.Sample.dll</c>), and killed by its process id. Shared as source by the test projects
/// that run it and by the benchmarks' <c>scale</c> mode (the project must build the sample, see the SQLite tests' project file).
/// </summary>
internal sealed partial class SampleProcess : IDisposable
{
    /// <summary>How long the host may take to stop gracefully (<c>HostOptions.ShutdownTimeout</c>).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private const int SigTerm = 15;

    private readonly Process _process;

    private readonly OutputTail _output;

    private SampleProcess(Process process, HttpClient client, OutputTail output)
    {
        _process = process;
        Client = client;
        _output = output;
    }

    /// <summary>The host's last lines of output (warnings and errors, at the log level it runs with): for a failing test's message.</summary>
    public string RecentOutput => _output.ToString();

    /// <summary>A client for the sample's API, authenticated as the OU <c>ou-acme</c>.</summary>
    public HttpClient Client { get; }

    /// <summary>The host's process id: the one its job worker writes into the leases it takes, and for reading its CPU time from <c>/proc</c>.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// A new client for the sample's API, authenticated by one of its development tokens (<c>dev-token-acme</c> is the
    /// OU <c>ou-acme</c>, <c>dev-token-globex</c> the OU <c>ou-globex</c>); the caller disposes it.
    /// </summary>
    public HttpClient ClientAs(string token) => CreateClient(Client.BaseAddress!, token);

    /// <summary>
    /// Starts the sample on SQLite (<paramref name="storage"/> <c>Sqlite</c>) or PostgreSQL (<c>PostgreSql</c>);
    /// <paramref name="settings"/> are more environment variables (configuration keys with <c>__</c>), set last.
    /// </summary>
    public static async Task<SampleProcess> StartAsync(
        string connectionString, TimeSpan? jobLease = null, string storage = "Sqlite", IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var sample = Path.GetFullPath(Path.Combine(
            AppContext.BaseDirectory, "..", "..", "Kenbun.LeadImport.Sample", Path.GetFileName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))));
        var info = new ProcessStartInfo("dotnet", Path.Combine(sample, "Kenbun.LeadImport.Sample.dll"))
        {
            WorkingDirectory = sample,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ConnectionStrings__LeadImport"] = connectionString;
        info.Environment["LeadImport__Storage"] = storage;
        info.Environment["ASPNETCORE_SHUTDOWNTIMEOUTSECONDS"] = ShutdownTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["LeadImport__JobLeaseDuration"] = (jobLease ?? TimeSpan.FromSeconds(2)).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["LeadImport__WorkerPollInterval"] = "00:00:00.100";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var output = new OutputTail();
        process.OutputDataReceived += (_, line) => output.Add(line.Data);
        process.ErrorDataReceived += (_, line) => output.Add(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var client = CreateClient(new Uri($"http://127.0.0.1:{port}"), "dev-token-acme");
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await client.GetAsync("/leads/import/jobs")).IsSuccessStatusCode)
                {
                    return new SampleProcess(process, client, output);
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        client.Dispose();
        throw new InvalidOperationException($"The sample host did not start (exited: {process.HasExited}). Its last output:\n{output}");
    }

    /// <summary>Ends the process at once (SIGKILL): no shutdown, no checkpoint beyond what was committed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// Asks the process to stop (SIGTERM, as a service manager or container runtime does) and waits for it to exit;
    /// returns its exit code, or null when it is still running after <paramref name="within"/>.
    /// </summary>
    public async Task<int?> TerminateAsync(TimeSpan within)
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.");
        }

        using var deadline = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        Client.Dispose();
    }

    private static HttpClient CreateClient(Uri address, string token)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The last lines a process wrote, so a test that fails can say what the host logged.</summary>
    private sealed class OutputTail
    {
        private const int MaxLines = 200;
        private readonly Queue<string> _lines = new();
        private readonly Lock _lock = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lock)
            {
                _lines.Enqueue(line);
                if (_lines.Count > MaxLines)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return string.Join('\n', _lines);
            }
        }
    }
}
