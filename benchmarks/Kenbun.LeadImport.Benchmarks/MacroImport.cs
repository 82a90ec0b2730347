using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// Whole imports of big realistic files (<see cref="LeadFiles"/>), each beside the hand-written SQL that dedups the same
/// file on the same store (<see cref="HandWrittenDedup"/>), median of several runs in one process. On SQLite and
/// PostgreSQL the import runs in the sample host, a child process started on a fresh database for each run, over HTTP
/// on loopback, as a user's would: timed from the job's creation to its completion by the host's clock (the job's
/// <c>created_at</c> and <c>completed_at</c>), while the client reads the job four times a second as a page would; the
/// preview, before it, is timed on its own, with the host's peak working set. <c>--via engine</c> (and the in-memory
/// store, always) runs the job in this process instead, as <see cref="ImportJobs"/> does, and adds the bytes it
/// allocated. Sizes run from small to large, so an in-process peak working set is that of the largest so far.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/Kenbun.LeadImport.Benchmarks -- import [--rows 10000,100000,1000000]
/// [--store sqlite|postgresql|memory] [--runs 3] [--warmup 0] [--via host|engine] [--dry-run] [--set Key:Path=value]… [--csv results.csv]</c>; <c>--set</c> configures the sample host; <c>--warmup</c>
/// runs the import that many times unmeasured first, in this process only, so the measured runs are a warm process's
/// (their results are recorded as via <c>engine-warm</c>); <c>--dry-run</c>
/// (in process) measures the engine alone: a dry run reads, validates, normalises and decides, and stores no lead. <c>--csv</c> appends one
/// line per size to a file (<see cref="MacroResult"/>) that <c>-- plot results.csv out.svg</c> draws (<see cref="RowsPerSecondPlot"/>).
/// </remarks>
internal static class MacroImport
{
    /// <summary>How often the client reads the job, as a page showing progress would; the time itself is the server's.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task RunAsync(string[] args)
    {
        var options = MacroOptions.Parse(args);
        await using var cluster = options.Store == "postgresql" ? new PostgresCluster(durable: true) : null;
        if (cluster is not null)
        {
            await cluster.StartAsync();
        }

        var folder = Directory.CreateTempSubdirectory("kenbun-macro-").FullName;
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{options.Store} via {options.Via}, median of {options.Runs} runs after {options.Warmup} unmeasured, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}"));
            Console.WriteLine("rows       MB  preview s  import s     rows/s  peak WS MB  alloc B/row  baseline s  ratio");
            foreach (var rows in options.Rows)
            {
                var file = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"leads-{rows}.csv"));
                await using (var stream = File.Create(file))
                {
                    LeadFiles.Write(stream, rows);
                }

                for (var run = 0; run < options.Warmup; run++)
                {
                    await MeasureAsync(options, cluster, file, rows);
                }

                var ours = new List<Measurement>();
                var baseline = new List<double>();
                for (var run = 0; run < options.Runs; run++)
                {
                    ours.Add(await MeasureAsync(options, cluster, file, rows));
                    baseline.Add(await HandWrittenDedup.RunAsync(options.Store, cluster, file));
                }

                Report(options, rows, new FileInfo(file).Length, ours, baseline);
                File.Delete(file);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<Measurement> MeasureAsync(MacroOptions options, PostgresCluster? cluster, string file, int rows) =>
        options.InProcess ? InProcessAsync(options, cluster, file) : InSampleHostAsync(options, cluster, file, rows);

    /// <summary>The job in this process: the worker runs it on the chosen store; times the run, counts what it allocated.</summary>
    private static async Task<Measurement> InProcessAsync(MacroOptions options, PostgresCluster? cluster, string file)
    {
        var store = options.Store;
        using var database = new SqliteTempDatabase();
        var connectionString = cluster is null ? null : PickupDelay.Pooled(await cluster.CreateDatabaseAsync(), "macro");
        await using var services = ImportJobs.CreateServices(new FileInfo(file).Length, builder => _ = store switch
        {
            "sqlite" => builder.UseSqlite(database.ConnectionString),
            "postgresql" => builder.UsePostgreSql(connectionString!),
            _ => builder.UseInMemoryStores(),
        });
        var preview = Stopwatch.StartNew();
        JobLease lease;
        await using (var content = File.OpenRead(file))
        {
            lease = await ImportJobs.StartAsync(services, content, options.DryRun);
        }

        preview.Stop();
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var import = Stopwatch.StartNew();
        await ImportJobs.RunAsync(services, lease);
        import.Stop();
        return new Measurement(preview.Elapsed.TotalSeconds, import.Elapsed.TotalSeconds, Process.GetCurrentProcess().PeakWorkingSet64, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    /// <summary>The job in the sample host, over HTTP, on a fresh database: the way a user runs it.</summary>
    private static async Task<Measurement> InSampleHostAsync(MacroOptions options, PostgresCluster? cluster, string file, int rows)
    {
        using var database = new SqliteTempDatabase();
        var settings = new Dictionary<string, string>
        {
            ["LeadImport__MaxFileBytes"] = (new FileInfo(file).Length + 1).ToString(CultureInfo.InvariantCulture),
            ["LeadImport__WorkerPollInterval"] = "00:00:01",
        };
        foreach (var (key, value) in options.HostSettings)
        {
            settings[key] = value;
        }

        using var host = cluster is null
            ? await SampleProcess.StartAsync(database.ConnectionString, jobLease: TimeSpan.FromMinutes(1), settings: settings)
            : await SampleProcess.StartAsync(PickupDelay.Pooled(await cluster.CreateDatabaseAsync(), "sample"), jobLease: TimeSpan.FromMinutes(1), storage: "PostgreSql", settings: settings);
        using var client = host.ClientAs("dev-token-acme");
        client.Timeout = TimeSpan.FromMinutes(30);

        var preview = Stopwatch.StartNew();
        JsonNode previewed;
        await using (var content = File.OpenRead(file))
        {
            using var upload = new MultipartFormDataContent { { new StreamContent(content), "file", "leads.csv" } };
            using var response = await client.PostAsync("/leads/import/preview", upload);
            previewed = JsonNode.Parse(await Answer(response))!;
        }

        preview.Stop();
        if ((long)previewed["row_count"]! != rows)
        {
            throw new InvalidOperationException($"The preview counted {previewed["row_count"]} rows, not {rows}.");
        }

        var request = new JsonObject
        {
            ["file_id"] = previewed["file_id"]!.ToString(),
            ["primary_identifier"] = new JsonObject { ["column"] = "Email", ["kind"] = "email" },
            ["field_mappings"] = new JsonObject { ["First Name"] = "first_name", ["Last Name"] = "last_name", ["Company"] = "company", ["Job Title"] = "title", ["Notes"] = "notes" },
            ["alias_mappings"] = new JsonObject { ["Phone"] = "_alias_phone", ["LinkedIn"] = "_alias_social" },
        };
        using var started = await client.PostAsJsonAsync("/leads/import/start", request);
        var jobId = JsonNode.Parse(await Answer(started))!["job_id"]!.ToString();
        JsonNode job;
        while (true)
        {
            using var response = await client.GetAsync($"/leads/import/jobs/{jobId}");
            job = JsonNode.Parse(await Answer(response))!;
            if (job["status"]!.ToString() is "completed" or "failed" or "cancelled")
            {
                break;
            }

            await Task.Delay(PollInterval);
        }

        ImportJobs.RequireCompleted(job["status"]!.ToString(), (long?)job["processed_rows"], (long?)job["created_count"]);
        var import = DateTimeOffset.Parse(job["completed_at"]!.ToString(), CultureInfo.InvariantCulture) - DateTimeOffset.Parse(job["created_at"]!.ToString(), CultureInfo.InvariantCulture);
        return new Measurement(preview.Elapsed.TotalSeconds, import.TotalSeconds, PeakWorkingSet(host.ProcessId), AllocatedBytes: null);
    }

    private static async Task<string> Answer(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>A process's peak resident set (<c>VmHWM</c> in <c>/proc/&lt;pid&gt;/status</c>), in bytes.</summary>
    private static long PeakWorkingSet(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..^"kB".Length].Trim(), CultureInfo.InvariantCulture) * 1024;
    }

    private static void Report(MacroOptions options, int rows, long bytes, List<Measurement> ours, List<double> baseline)
    {
        var import = Median(ours.Select(m => m.ImportSeconds));
        var preview = Median(ours.Select(m => m.PreviewSeconds));
        var peak = ours.Max(m => m.PeakWorkingSet) / 1e6;
        var perRow = ours[0].AllocatedBytes is null ? "-" : (Median(ours.Select(m => (double)m.AllocatedBytes!.Value)) / rows).ToString("0", CultureInfo.InvariantCulture);
        var handWritten = Median(baseline);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rows,-9} {bytes / 1e6,4:0.0} {preview,10:0.000} {import,9:0.000} {rows / import,10:0} {peak,11:0} {perRow,12} {handWritten,11:0.000} {import / handWritten,6:0.00}"));
        if (options.CsvFile is { } csv)
        {
            var via = options.Warmup > 0 ? options.Via + "-warm" : options.Via;
            new MacroResult(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), options.Store, via, rows, import, peak, perRow, handWritten).AppendTo(csv);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Measurement(double PreviewSeconds, double ImportSeconds, long PeakWorkingSet, long? AllocatedBytes);

    /// <param name="HostSettings">Configuration for the sample host (<c>--set LeadImport:Sqlite:CacheSizeKib=65536</c>, repeatable), as environment variables.</param>
    private sealed record MacroOptions(int[] Rows, string Store, int Runs, int Warmup, string Via, string? CsvFile, bool DryRun, Dictionary<string, string> HostSettings)
    {
        /// <summary>Whether the job runs in this process (else in a sample host started afresh for each run).</summary>
        public bool InProcess => Via == "engine" || Store == "memory" || DryRun;

        public static MacroOptions Parse(string[] args)
        {
            string? Value(string name) => CommandLineArgs.Value(args, name);
            var store = Value("--store") ?? "sqlite";
            if (store is not ("sqlite" or "postgresql" or "memory"))
            {
                throw new ArgumentException($"--store is sqlite, postgresql or memory, not {store}.");
            }

            var options = new MacroOptions(
                CommandLineArgs.Rows(args, "10000,100000,1000000"),
                store,
                int.Parse(Value("--runs") ?? "3", CultureInfo.InvariantCulture),
                int.Parse(Value("--warmup") ?? "0", CultureInfo.InvariantCulture),
                Value("--via") ?? (store == "memory" ? "engine" : "host"),
                Value("--csv"),
                args.Contains("--dry-run"),
                args.Zip(args.Skip(1)).Where(pair => pair.First == "--set").Select(pair => pair.Second.Split('=', 2))
                    .ToDictionary(setting => setting[0].Replace(":", "__", StringComparison.Ordinal), setting => setting[1]));
            return options.Warmup == 0 || options.InProcess
                ? options
                : throw new ArgumentException("--warmup warms this process: use it with --via engine, the memory store or --dry-run (each host run starts a fresh host).");
        }
    }
}
