using System.Diagnostics;
using System.Globalization;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// How the job throughput of one PostgreSQL database changes with the number of host instances: for each count, that
/// many sample hosts (<c>samples/Kenbun.LeadImport.Sample</c> with <c>LeadImport__Storage=PostgreSql</c>, each a
/// process of its own with its own pool) on a fresh database of a cluster the run starts itself. The benchmark
/// process previews the files and starts the jobs through a storage of its own (another instance that runs no
/// worker), then watches the jobs table until every job has finished. Phases:
/// <list type="bullet">
/// <item><b>small</b>: many 10-row jobs spread over 20 OUs, started at once: jobs/s, where acquiring, finishing and the
/// per-job statements dominate.</item>
/// <item><b>big</b>: a few 50,000-row jobs, each in an OU of its own, started at once: rows/s.</item>
/// <item><b>big-one-ou</b>: the same jobs in one OU (people numbered apart, and no phone alias, so they share no
/// identifier): the OU's feed counter row, which every batch commit of the OU locks, makes them take turns.</item>
/// </list>
/// Each phase prints its elapsed time and rate, the jobs' queue wait and run time, the CPU time the database server,
/// each host and the benchmark process used (from <c>/proc</c>), the most connections each held open, and the lock
/// waits seen in <c>pg_stat_activity</c> every 50 ms.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/Kenbun.LeadImport.Benchmarks -- scale [instances] [small jobs] [big jobs] [big rows] [jobs per instance]</c>
/// (defaults <c>1,2,4</c>, 400, 4, 50000, 1: the instance counts to run, comma-separated, and each host's <c>MaxConcurrentJobs</c>).
/// </remarks>
internal static class ScaleTest
{
    private const int SmallRows = 10;
    private const int SmallOus = 20;

    /// <summary>Linux's USER_HZ: the unit of the CPU times in <c>/proc/[pid]/stat</c>.</summary>
    private const double TicksPerSecond = 100;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task RunAsync(string[] args)
    {
        int[] counts = args.Length > 0 ? [.. args[0].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))] : [1, 2, 4];
        var smallJobs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 400;
        var bigJobs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        var bigRows = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50_000;
        var jobsPerInstance = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;

        await using var cluster = new PostgresCluster();
        await cluster.StartAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Scale: {Environment.ProcessorCount} cores shared by the server, the hosts and this process; PostgreSQL from {PostgresCluster.Binaries} (fsync off); " +
            $"MaxConcurrentJobs {jobsPerInstance} per instance"));

        var small = Enumerable.Range(0, smallJobs)
            .Select(i => new JobSpec($"ou-{i % SmallOus:00}", LeadFiles.Generate(SmallRows, firstPerson: i * SmallRows), AliasPhone: true)).ToArray();
        var bigFile = LeadFiles.Generate(bigRows);
        var big = Enumerable.Range(0, bigJobs).Select(i => new JobSpec($"big-{i}", bigFile, AliasPhone: true)).ToArray();
        var bigOneOu = Enumerable.Range(0, bigJobs)
            .Select(i => new JobSpec("big-shared", LeadFiles.Generate(bigRows, firstPerson: (i + 1) * 10_000_000), AliasPhone: false)).ToArray();

        // Unmeasured, on every fresh set of hosts: the job path compiled and the pools opened in each of them.
        var warmUp = Enumerable.Range(0, 8 * counts.Max())
            .Select(i => new JobSpec($"warm-{i % SmallOus:00}", LeadFiles.Generate(i % 8 == 0 ? 2_000 : SmallRows, firstPerson: i * 10_000), AliasPhone: true)).ToArray();
        var summary = new List<string>();
        foreach (var count in counts)
        {
            await using var run = await InstancesRun.StartAsync(cluster, count, jobsPerInstance);
            await run.PhaseAsync("warm-up", warmUp, count, report: false);
            summary.Add(await run.PhaseAsync($"small ({smallJobs} × {SmallRows} rows, {SmallOus} OUs)", small, count));
            summary.Add(await run.PhaseAsync($"big ({bigJobs} × {bigRows:N0} rows, an OU each)", big, count));
            summary.Add(await run.PhaseAsync($"big-one-ou ({bigJobs} × {bigRows:N0} rows, one OU, no alias)", bigOneOu, count));
        }

        Console.WriteLine();
        Console.WriteLine("| Instances | Phase | Time | Jobs/s | Rows/s | CPU: database | CPU: hosts | CPU: driver | Busy (of 2 cores) | Peak connections per instance |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        summary.ForEach(Console.WriteLine);
    }

    /// <summary>One job of a phase: its OU, its file, and whether the phone column is mapped as an alias.</summary>
    private sealed record JobSpec(string Ou, byte[] File, bool AliasPhone);

    /// <summary>What the monitor saw during a phase.</summary>
    private sealed class Observations
    {
        public Dictionary<string, int> PeakConnections { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> LockWaits { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, HashSet<string>> JobsSeenRunning { get; } = new(StringComparer.Ordinal);

        public int Samples { get; set; }
    }

    /// <summary><paramref name="count"/> sample hosts on a fresh database, and the benchmark's own storage and monitor connection on it.</summary>
    private sealed class InstancesRun : IAsyncDisposable
    {
        private readonly SampleProcess[] _instances;
        private readonly ServiceProvider _driver;
        private readonly NpgsqlConnection _monitor;
        private readonly int _postmaster;

        private InstancesRun(SampleProcess[] instances, ServiceProvider driver, NpgsqlConnection monitor, int postmaster)
        {
            _instances = instances;
            _driver = driver;
            _monitor = monitor;
            _postmaster = postmaster;
        }

        public static async Task<InstancesRun> StartAsync(PostgresCluster cluster, int count, int jobsPerInstance)
        {
            var database = await cluster.CreateDatabaseAsync();
            var settings = new Dictionary<string, string>
            {
                ["LeadImport__WorkerPollInterval"] = "00:00:01", // the default: new jobs arrive by NOTIFY
                ["LeadImport__MaxConcurrentJobs"] = jobsPerInstance.ToString(CultureInfo.InvariantCulture),
            };
            var instances = new List<SampleProcess>();
            try
            {
                for (var i = 0; i < count; i++)
                {
                    instances.Add(await SampleProcess.StartAsync(
                        PickupDelay.Pooled(database, $"instance-{i}"), jobLease: TimeSpan.FromMinutes(1), storage: "PostgreSql", settings: settings));
                }
            }
            catch
            {
                instances.ForEach(instance => instance.Dispose()); // the ones that started
                throw;
            }

            var driver = PickupDelay.CreateCreator(PickupDelay.Pooled(database, "driver"), o =>
            {
                o.MaxPreviewsPerOu = 100_000;
                o.MaxQueuedJobsPerOu = 100_000;
            });
            var monitor = new NpgsqlConnection(PickupDelay.Pooled(database, "monitor"));
            await monitor.OpenAsync();
            var backend = (int)(await Scalar(monitor, "SELECT pg_backend_pid()"))!;
            return new InstancesRun([.. instances], driver, monitor, ParentOf(backend));
        }

        /// <summary>Previews the phase's files, then starts every job at once and waits until all have finished; returns the summary table's row.</summary>
        public async Task<string> PhaseAsync(string name, JobSpec[] jobs, int count, bool report = true)
        {
            var import = _driver.GetRequiredService<ILeadImportService>();
            var fileIds = await ForEachAsync(jobs, 4, async job =>
                (await import.PreviewAsync(job.Ou, "leads.csv", new MemoryStream(job.File), CancellationToken.None)).FileId);
            var jobsBefore = (long)(await Scalar(_monitor, "SELECT count(*) FROM lead_import.jobs"))!;
            await Task.Delay(TimeSpan.FromSeconds(1)); // the hosts settle

            var cpuBefore = CpuSeconds();
            var stopwatch = Stopwatch.StartNew();
            var starting = ForEachAsync(Enumerable.Range(0, jobs.Length).ToArray(), 8, async i =>
            {
                var request = jobs[i].AliasPhone ? ImportJobs.Request(fileIds[i]) : ImportJobs.Request(fileIds[i]) with { AliasMappings = null };
                return await import.StartAsync(jobs[i].Ou, request, CancellationToken.None) is StartImportResult.Started started
                    ? started.Job.JobId
                    : throw new InvalidOperationException("A job was not started.");
            });
            var observations = await WatchAsync(jobsBefore + jobs.Length);
            var elapsed = stopwatch.Elapsed;
            var cpu = CpuSeconds().Minus(cpuBefore);
            var jobIds = await starting;

            var (completed, rows, waits, runs) = await JobTimesAsync(jobIds);
            if (!report)
            {
                return "";
            }

            var rate = jobs.Length / elapsed.TotalSeconds;
            var rowRate = rows / elapsed.TotalSeconds;
            var busy = cpu.Total / (elapsed.TotalSeconds * Environment.ProcessorCount);
            var connections = string.Join(" / ", _instances.Select((_, i) => observations.PeakConnections.GetValueOrDefault($"instance-{i}")));
            var seen = string.Join(" / ", _instances.Select(instance =>
                observations.JobsSeenRunning.GetValueOrDefault(instance.ProcessId.ToString(CultureInfo.InvariantCulture))?.Count ?? 0));
            var waitsSeen = observations.LockWaits.Count == 0
                ? "none"
                : string.Join(", ", observations.LockWaits.OrderByDescending(w => w.Value).Select(w => $"{w.Key} {w.Value}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count} instance(s), {name}: {completed}/{jobs.Length} completed, {rows:N0} rows in {elapsed.TotalSeconds:0.00} s: {rate:0.0} jobs/s, {rowRate:N0} rows/s (load average {Percentiles.LoadAverage()})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  queue wait p50 {Percentiles.Of(waits, 0.5):0} ms, p95 {Percentiles.Of(waits, 0.95):0} ms; run time p50 {Percentiles.Of(runs, 0.5):0} ms, p95 {Percentiles.Of(runs, 0.95):0} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  CPU: database {cpu.Database:0.0} s, hosts {cpu.Hosts.Sum():0.0} s ({string.Join(" / ", cpu.Hosts.Select(h => h.ToString("0.0", CultureInfo.InvariantCulture)))}), " +
                $"driver {cpu.Driver:0.0} s: {busy:P0} of {Environment.ProcessorCount} cores; per job: database {cpu.Database * 1000 / jobs.Length:0.0} ms, hosts {cpu.Hosts.Sum() * 1000 / jobs.Length:0.0} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  peak connections per instance {connections}, driver {observations.PeakConnections.GetValueOrDefault("driver")}; " +
                $"lock waits in {observations.Samples} samples: {waitsSeen}; jobs seen running per instance: {seen}"));
            return string.Create(CultureInfo.InvariantCulture,
                $"| {count} | {name} | {elapsed.TotalSeconds:0.0} s | {rate:0.0} | {rowRate:N0} | {cpu.Database:0.0} s | {cpu.Hosts.Sum():0.0} s | {cpu.Driver:0.0} s | {busy:P0} | {connections} |");
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var instance in _instances)
            {
                await instance.TerminateAsync(SampleProcess.ShutdownTimeout + TimeSpan.FromSeconds(5));
                instance.Dispose();
            }

            await _driver.DisposeAsync();
            await _monitor.DisposeAsync();
        }

        /// <summary>Samples the jobs and pg_stat_activity every <see cref="PollInterval"/> until <paramref name="total"/> jobs exist and none is open.</summary>
        private async Task<Observations> WatchAsync(long total)
        {
            var observations = new Observations();
            const string Sql = """
                SELECT count(*) FILTER (WHERE status < 2), count(*) FROM lead_import.jobs;
                SELECT job_id, lease_owner FROM lead_import.jobs WHERE status = 1 AND lease_owner IS NOT NULL;
                SELECT application_name, count(*), string_agg(wait_event, ',') FILTER (WHERE wait_event_type = 'Lock')
                FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY application_name;
                """;
            using var timer = new PeriodicTimer(PollInterval);
            while (await timer.WaitForNextTickAsync())
            {
                await using var command = new NpgsqlCommand(Sql, _monitor);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                var (open, all) = (reader.GetInt64(0), reader.GetInt64(1));
                await reader.NextResultAsync();
                while (await reader.ReadAsync())
                {
                    var pid = reader.GetString(1).Split('/')[1];
                    if (!observations.JobsSeenRunning.TryGetValue(pid, out var seen))
                    {
                        observations.JobsSeenRunning[pid] = seen = new HashSet<string>(StringComparer.Ordinal);
                    }

                    seen.Add(reader.GetString(0));
                }

                await reader.NextResultAsync();
                while (await reader.ReadAsync())
                {
                    var application = reader.GetString(0);
                    observations.PeakConnections[application] = Math.Max(observations.PeakConnections.GetValueOrDefault(application), (int)reader.GetInt64(1));
                    foreach (var wait in reader.IsDBNull(2) ? [] : reader.GetString(2).Split(','))
                    {
                        observations.LockWaits[wait] = observations.LockWaits.GetValueOrDefault(wait) + 1;
                    }
                }

                observations.Samples++;
                if (all >= total && open == 0)
                {
                    return observations;
                }
            }

            return observations;
        }

        /// <summary>The phase's jobs as the database has them: how many completed, their rows, queue waits and run times (ms, sorted).</summary>
        private async Task<(int Completed, long Rows, double[] Waits, double[] Runs)> JobTimesAsync(string[] jobIds)
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT status, processed,
                       extract(epoch FROM (job->>'StartedAt')::timestamptz - created_at) * 1000,
                       extract(epoch FROM completed_at - (job->>'StartedAt')::timestamptz) * 1000
                FROM lead_import.jobs WHERE job_id = ANY(@ids)
                """,
                _monitor);
            command.Parameters.AddWithValue("ids", jobIds);
            await using var reader = await command.ExecuteReaderAsync();
            var (completed, rows, waits, runs) = (0, 0L, new List<double>(), new List<double>());
            while (await reader.ReadAsync())
            {
                completed += reader.GetInt16(0) == (short)Jobs.JobStatus.Completed ? 1 : 0;
                rows += reader.GetInt64(1);
                waits.Add((double)reader.GetDecimal(2));
                runs.Add((double)reader.GetDecimal(3));
            }

            return (completed, rows, [.. waits.Order()], [.. runs.Order()]);
        }

        private CpuTimes CpuSeconds()
        {
            var children = Directory.EnumerateDirectories("/proc")
                .Select(Path.GetFileName)
                .Where(name => int.TryParse(name, out _))
                .Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
                .Where(pid => Stat(pid) is { } stat && stat.Parent == _postmaster);

            // The postmaster's own time, its reaped children's (closed connections), and its running children's.
            var database = (Stat(_postmaster)?.WithChildren ?? 0) + children.Sum(pid => Stat(pid)?.Own ?? 0);
            using var self = Process.GetCurrentProcess();
            return new CpuTimes(database, [.. _instances.Select(i => Stat(i.ProcessId)?.Own ?? 0)], self.TotalProcessorTime.TotalSeconds);
        }
    }

    /// <summary>CPU seconds used by the database server (every process of the cluster), each host, and the benchmark process.</summary>
    private sealed record CpuTimes(double Database, double[] Hosts, double Driver)
    {
        public double Total => Database + Hosts.Sum() + Driver;

        public CpuTimes Minus(CpuTimes before) =>
            new(Database - before.Database, [.. Hosts.Zip(before.Hosts, (after, then) => after - then)], Driver - before.Driver);
    }

    /// <summary>A process's parent and CPU seconds from <c>/proc/[pid]/stat</c>; null once it has exited.</summary>
    private static (int Parent, double Own, double WithChildren)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // After the command name in parentheses: state, ppid, … utime (14), stime (15), cutime (16), cstime (17).
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = fields[11..15].Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), (ticks[0] + ticks[1]) / TicksPerSecond, ticks.Sum() / TicksPerSecond);
    }

    private static int ParentOf(int pid) => Stat(pid)?.Parent ?? throw new InvalidOperationException($"Process {pid} is not there.");

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Runs <paramref name="work"/> on every item, at most <paramref name="parallel"/> at a time; results in the items' order.</summary>
    private static async Task<TResult[]> ForEachAsync<T, TResult>(T[] items, int parallel, Func<T, Task<TResult>> work)
    {
        var results = new TResult[items.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, items.Length),
            new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (i, _) => results[i] = await work(items[i]));
        return results;
    }
}
