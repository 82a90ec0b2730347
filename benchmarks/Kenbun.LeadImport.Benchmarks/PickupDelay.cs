using System.Diagnostics;
using System.Globalization;
using Kenbun.LeadImport.Engine;
using Kenbun.LeadImport.PostgreSql;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// How long a job queued through one instance waits before an idle worker of another picks it up, when only
/// <c>LISTEN/NOTIFY</c> can wake that worker: one or more hosts (the lead import's hosted services on
/// <c>UsePostgreSql</c>, <see cref="LeadImportOptions.WorkerPollInterval"/> one hour) idle, and a second
/// <c>PostgreSqlStorage</c> on the same database and schema (another instance's, whose own worker is not running)
/// previews a five-row file and starts its job. Measured from the moment the start's commit is acknowledged to the
/// creator (or, when that reaches the creator's thread later, the moment a LISTEN connection of the benchmark's own
/// hears the NOTIFY that the commit sent) to the moment a host's worker has committed the job's lease
/// (<c>in_progress</c>: its <c>leadimport.job</c> span starts right after). Each run waits for the job to finish and
/// the hosts to idle again.
/// </summary>
/// <remarks>
/// <para><c>dotnet run -c Release --project benchmarks/Kenbun.LeadImport.Benchmarks -- pickup [runs] [hosts]</c> (defaults 200, 1).</para>
/// <para>
/// A mode of its own rather than a BenchmarkDotNet benchmark: the interval starts inside the creator's call (at its
/// commit) and ends on a host's worker thread, and what matters is its distribution over runs that each start from
/// idle hosts, not the mean time of a method BenchmarkDotNet could call in a loop (which would include the create's
/// own round trips and the wait for the job to finish).
/// </para>
/// </remarks>
internal static class PickupDelay
{
    private const string Ou = "ou-pickup";
    private const int WarmUpRuns = 10;

    /// <summary>How long the hosts are left alone between a job's end and the next start, so every worker is back waiting.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var hostCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        await using var cluster = new PostgresCluster();
        await cluster.StartAsync();
        var connectionString = Pooled(await cluster.CreateDatabaseAsync(), "pickup");

        using var jobs = new JobSpans();
        var hosts = new List<IHost>();
        for (var i = 0; i < hostCount; i++)
        {
            hosts.Add(await StartHostAsync(connectionString));
        }

        await using var creator = CreateCreator(connectionString);
        await using var probe = await NotificationProbe.StartAsync(connectionString, new PostgreSqlStoreOptions().Channel);
        var import = creator.GetRequiredService<ILeadImportService>();
        var file = LeadFiles.Generate(5);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the hosts' first look at the (empty) queue is over

        var creates = new List<double>();
        var notifications = new List<double>();
        var pickups = new List<double>();
        for (var run = -WarmUpRuns; run < runs; run++)
        {
            var preview = await import.PreviewAsync(Ou, "leads.csv", new MemoryStream(file), CancellationToken.None);
            await Task.Delay(Idle);
            var (started, finished) = jobs.Expect();
            var heard = probe.Expect();
            var before = Stopwatch.GetTimestamp();
            if (await import.StartAsync(Ou, ImportJobs.Request(preview.FileId), CancellationToken.None) is not StartImportResult.Started)
            {
                throw new InvalidOperationException("The job was not started.");
            }

            var committed = Stopwatch.GetTimestamp();
            var pickedUp = await started.WaitAsync(Timeout);
            var notified = await heard.WaitAsync(Timeout);
            await finished.WaitAsync(Timeout);
            if (run >= 0)
            {
                creates.Add(Stopwatch.GetElapsedTime(before, committed).TotalMilliseconds);
                notifications.Add(Milliseconds(committed, notified));
                pickups.Add(Milliseconds(Math.Min(committed, notified), pickedUp));
            }
        }

        foreach (var host in hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pick-up through LISTEN/NOTIFY: {runs} runs (after {WarmUpRuns} warm-up runs), {hostCount} idle host(s); load average {Percentiles.LoadAverage()}"));
        Report("start request (StartAsync: its reads, then the create transaction up to its commit)", creates);
        Report("commit acknowledged → the benchmark's own LISTEN connection hears the NOTIFY", notifications);
        Report("commit (the earlier of its acknowledgement and the NOTIFY heard) → a host's worker has the job in_progress: the pick-up delay", pickups);
    }

    /// <summary>The connection string with pooling on, as a host would use it, named in pg_stat_activity.</summary>
    internal static string Pooled(string connectionString, string applicationName) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = true, ApplicationName = applicationName }.ConnectionString;

    private static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private static void Report(string what, List<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: median {Percentiles.Of(sorted, 0.5):0.00} ms, p95 {Percentiles.Of(sorted, 0.95):0.00} ms, p99 {Percentiles.Of(sorted, 0.99):0.00} ms, " +
            $"min {sorted[0]:0.00} ms, max {sorted[^1]:0.00} ms, mean {sorted.Average():0.00} ms"));
    }

    /// <summary>A host whose worker only a notification can wake: it polls once an hour.</summary>
    private static async Task<IHost> StartHostAsync(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddLeadImport(o => o.WorkerPollInterval = TimeSpan.FromHours(1)).UsePostgreSql(connectionString);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>
    /// Another instance's services, never started: its storage is a second PostgreSqlStorage with a pool of its own, in
    /// the default schema unless <paramref name="schema"/> names another.
    /// </summary>
    internal static ServiceProvider CreateCreator(string connectionString, Action<LeadImportOptions>? configure = null, string? schema = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLeadImport(configure).UsePostgreSql(connectionString, o => o.Schema = schema ?? o.Schema);
        return services.BuildServiceProvider();
    }

    /// <summary>When the next <c>leadimport.job</c> span (a job a worker has just leased) starts and when it ends.</summary>
    private sealed class JobSpans : IDisposable
    {
        private readonly ActivityListener _listener;
        private TaskCompletionSource<long>? _started;
        private TaskCompletionSource? _finished;

        public JobSpans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == LeadImportTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStarted = activity =>
                {
                    if (activity.OperationName == "leadimport.job")
                    {
                        Interlocked.Exchange(ref _started, null)?.TrySetResult(Stopwatch.GetTimestamp());
                    }
                },
                ActivityStopped = activity =>
                {
                    if (activity.OperationName == "leadimport.job")
                    {
                        Interlocked.Exchange(ref _finished, null)?.TrySetResult();
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public (Task<long> Started, Task Finished) Expect()
        {
            var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _started, started);
            Volatile.Write(ref _finished, finished);
            return (started.Task, finished.Task);
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>A LISTEN connection of the benchmark's own: when the next notification on the channel arrives.</summary>
    private sealed class NotificationProbe : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;
        private TaskCompletionSource<long>? _next;

        private NotificationProbe(NpgsqlConnection connection) => _connection = connection;

        public static async Task<NotificationProbe> StartAsync(string connectionString, string channel)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var probe = new NotificationProbe(connection);
            connection.Notification += (_, _) => Interlocked.Exchange(ref probe._next, null)?.TrySetResult(Stopwatch.GetTimestamp());
            await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection))
            {
                await listen.ExecuteNonQueryAsync();
            }

            probe._loop = probe.WaitLoopAsync();
            return probe;
        }

        public Task<long> Expect()
        {
            var next = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _next, next);
            return next.Task;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }

            await _connection.DisposeAsync();
            _stop.Dispose();
        }

        private async Task WaitLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                await _connection.WaitAsync(_stop.Token);
            }
        }
    }
}
