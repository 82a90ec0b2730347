using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Kenbun.LeadImport.Preview;
using Kenbun.LeadImport.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// Previews alone, in megabytes a second, on one store: the upload's byte path (request body, inspection, file store)
/// and the analysis after it, without the import the macro mode runs after each. In process (<c>--via engine</c>, the
/// in-memory store's default) the file is read from disk by <see cref="ILeadImportService.PreviewAsync"/>; through the
/// sample host (<c>--via host</c>) it is posted as multipart over HTTP on loopback, several previews to one host on a
/// fresh database, each discarded after it is timed. Every run is printed, then the median, and the median CPU time
/// the previewing process (this one, or the host) spent on a preview: on a busy machine that moves less than the time.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/Kenbun.LeadImport.Benchmarks -- preview [--rows 100000,1000000]
/// [--store sqlite|postgresql|memory] [--via host|engine] [--runs 5]</c>.
/// </remarks>
internal static class PreviewThroughput
{
    public static async Task RunAsync(string[] args)
    {
        string? Value(string name) => CommandLineArgs.Value(args, name);
        var store = Value("--store") ?? "memory";
        var via = Value("--via") ?? (store == "memory" ? "engine" : "host");
        var runs = int.Parse(Value("--runs") ?? "5", CultureInfo.InvariantCulture);
        var sizes = CommandLineArgs.Rows(args, "100000,1000000");
        if (store is not ("sqlite" or "postgresql" or "memory") || via is not ("host" or "engine") || (store == "memory" && via == "host"))
        {
            throw new ArgumentException("--store is sqlite, postgresql or memory; --via host or engine (memory runs in process).");
        }

        await using var cluster = store == "postgresql" ? new PostgresCluster(durable: true) : null;
        if (cluster is not null)
        {
            await cluster.StartAsync();
        }

        var folder = Directory.CreateTempSubdirectory("kenbun-preview-").FullName;
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"preview, {store} via {via}, {runs} runs, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm}"));
            foreach (var rows in sizes)
            {
                var file = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"leads-{rows}.csv"));
                await using (var stream = File.Create(file))
                {
                    LeadFiles.Write(stream, rows);
                }

                var bytes = new FileInfo(file).Length;
                var measured = via == "engine"
                    ? await InProcessAsync(store, cluster, file, rows, runs)
                    : await InSampleHostAsync(store, cluster, file, rows, runs);
                var median = Median(measured.Select(m => m.Seconds));
                var cpu = Median(measured.Select(m => m.CpuSeconds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{rows,-9} {bytes / 1e6,6:0.0} MB  runs {string.Join(' ', measured.Select(m => m.Seconds.ToString("0.000", CultureInfo.InvariantCulture)))} s  median {median:0.000} s  {bytes / 1e6 / median,6:0} MB/s  CPU {cpu:0.000} s"));
                File.Delete(file);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);

    private static async Task<List<Measurement>> InProcessAsync(string store, PostgresCluster? cluster, string file, int rows, int runs)
    {
        using var database = new SqliteTempDatabase();
        var connectionString = cluster is null ? null : PickupDelay.Pooled(await cluster.CreateDatabaseAsync(), "preview");
        await using var services = ImportJobs.CreateServices(new FileInfo(file).Length, builder => _ = store switch
        {
            "sqlite" => builder.UseSqlite(database.ConnectionString),
            "postgresql" => builder.UsePostgreSql(connectionString!),
            _ => builder.UseInMemoryStores(),
        });
        var import = services.GetRequiredService<ILeadImportService>();
        var seconds = new List<Measurement>();
        for (var run = 0; run < runs; run++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            ImportPreview preview;
            await using (var content = File.OpenRead(file))
            {
                preview = await import.PreviewAsync("ou-bench", "leads.csv", content, CancellationToken.None);
            }

            seconds.Add(new Measurement(watch.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds));
            Require(preview.RowCount, rows);
            await import.DeletePreviewAsync("ou-bench", preview.FileId, CancellationToken.None);
        }

        return seconds;
    }

    private static async Task<List<Measurement>> InSampleHostAsync(string store, PostgresCluster? cluster, string file, int rows, int runs)
    {
        using var database = new SqliteTempDatabase();
        var settings = new Dictionary<string, string> { ["LeadImport__MaxFileBytes"] = (new FileInfo(file).Length + 1).ToString(CultureInfo.InvariantCulture) };
        using var host = cluster is null
            ? await SampleProcess.StartAsync(database.ConnectionString, settings: settings)
            : await SampleProcess.StartAsync(PickupDelay.Pooled(await cluster.CreateDatabaseAsync(), "sample"), storage: "PostgreSql", settings: settings);
        using var client = host.ClientAs("dev-token-acme");
        client.Timeout = TimeSpan.FromMinutes(10);
        var seconds = new List<Measurement>();
        for (var run = 0; run < runs; run++)
        {
            var cpu = CpuSeconds(host.ProcessId);
            var watch = Stopwatch.StartNew();
            JsonNode previewed;
            await using (var content = File.OpenRead(file))
            {
                using var upload = new MultipartFormDataContent { { new StreamContent(content), "file", "leads.csv" } };
                using var response = await client.PostAsync("/leads/import/preview", upload);
                var body = await response.Content.ReadAsStringAsync();
                previewed = response.IsSuccessStatusCode ? JsonNode.Parse(body)! : throw new InvalidOperationException($"The preview answered {(int)response.StatusCode}: {body}");
            }

            seconds.Add(new Measurement(watch.Elapsed.TotalSeconds, CpuSeconds(host.ProcessId) - cpu));
            Require((long)previewed["row_count"]!, rows);
            using var deleted = await client.DeleteAsync($"/leads/import/previews/{previewed["file_id"]}");
            deleted.EnsureSuccessStatusCode();
        }

        return seconds;
    }

    /// <summary>A process's user and system time so far (<c>/proc/&lt;pid&gt;/stat</c>, in clock ticks of 10 ms).</summary>
    private static double CpuSeconds(int processId)
    {
        var fields = File.ReadAllText($"/proc/{processId}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static void Require(long counted, int rows)
    {
        if (counted != rows)
        {
            throw new InvalidOperationException($"The preview counted {counted} rows, not {rows}.");
        }
    }

    private sealed record Measurement(double Seconds, double CpuSeconds);
}
