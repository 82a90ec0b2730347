using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// The load the hardening issue probed by hand, as a repeatable run (not a timed test): the HTTP API on Kestrel over a
/// SQLite file, first N concurrent previews of a ≈9 MB file, then M imports of 50,000 rows each while a poller reads
/// their jobs about 100 times a second. It prints the peak working set, the p50 and p99 of the job reads, every 5xx,
/// and the largest the SQLite write-ahead log grew. The client runs in the same process, so the working set includes
/// its copy of the file (one array shared by every upload).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/Kenbun.LeadImport.Benchmarks -- load [previews] [imports] [rows]</c>
/// (defaults 30, 10, 50000).
/// </remarks>
internal static class LoadTest
{
    private const string OuHeader = "X-Ou";

    public static async Task RunAsync(string[] args)
    {
        var previews = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var imports = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var rows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50_000;
        using var database = new SqliteTempDatabase();
        await using var app = await StartHostAsync(database.ConnectionString);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(10) };
        using var watch = new ResourceWatch(database.ConnectionString["Data Source=".Length..] + "-wal");

        var bigFile = LeadFiles.Generate(64_000);
        var stopwatch = Stopwatch.StartNew();
        var previewStatuses = await Task.WhenAll(Enumerable.Range(0, previews).Select(i => PreviewAsync(client, $"ou-{i % 5}", bigFile)));
        Report($"{previews} concurrent previews of {bigFile.Length / 1e6:0.0} MB", stopwatch.Elapsed, watch, previewStatuses.Select(s => s.Status));

        watch.Reset();
        var importFile = LeadFiles.Generate(rows);
        stopwatch.Restart();
        var jobs = await Task.WhenAll(Enumerable.Range(0, imports).Select(i => StartImportAsync(client, $"ou-{i % 5}", importFile)));
        var reads = await PollUntilFinishedAsync(client, jobs);
        Report($"{imports} imports of {rows:N0} rows with a poller", stopwatch.Elapsed, watch, reads.Select(r => r.Status));
        var sorted = reads.Select(r => r.Milliseconds).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  job GETs: {sorted.Length}, p50 {Percentiles.Of(sorted, 0.50):0.0} ms, p99 {Percentiles.Of(sorted, 0.99):0.0} ms"));
    }

    private static async Task<WebApplication> StartHostAsync(string connectionString)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddLeadImport(o =>
        {
            o.MaxPreviewsPerOu = 1000;
            o.MaxQueuedJobsPerOu = 1000;
            o.MaxConcurrentJobs = 2;
        }).UseSqlite(connectionString);
        var app = builder.Build();
        app.Use((context, next) =>
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("ou", context.Request.Headers[OuHeader].ToString())], "Load"));
            return next(context);
        });
        app.MapLeadImport();
        await app.StartAsync();
        return app;
    }

    private static async Task<(HttpStatusCode Status, string? FileId)> PreviewAsync(HttpClient client, string ou, byte[] file)
    {
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/leads/import/preview") { Content = new MultipartFormDataContent { { part, "file", "leads.csv" } } };
        request.Headers.Add(OuHeader, ou);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonNode.Parse(body)!["file_id"]!.ToString() : null);
    }

    private static async Task<(string Ou, string JobId)> StartImportAsync(HttpClient client, string ou, byte[] file)
    {
        var (status, fileId) = await PreviewAsync(client, ou, file);
        if (fileId is null)
        {
            throw new InvalidOperationException($"The preview answered {(int)status}.");
        }

        var body = $$$"""{"file_id":"{{{fileId}}}","primary_identifier":{"column":"Email","kind":"email"},"field_mappings":{"First Name":"first_name","Last Name":"last_name","Company":"company"},"alias_mappings":{"Phone":"_alias_phone"}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/leads/import/start") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(OuHeader, ou);
        using var response = await client.SendAsync(request);
        return (ou, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["job_id"]!.ToString());
    }

    /// <summary>Reads the jobs in turn, about 100 times a second, until every one has reached a final status.</summary>
    private static async Task<List<(HttpStatusCode Status, double Milliseconds)>> PollUntilFinishedAsync(HttpClient client, (string Ou, string JobId)[] jobs)
    {
        var reads = new List<(HttpStatusCode, double)>();
        var open = new HashSet<string>(jobs.Select(j => j.JobId));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        for (var i = 0; open.Count > 0 && await timer.WaitForNextTickAsync(); i++)
        {
            var (ou, jobId) = jobs[i % jobs.Length];
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/leads/import/jobs/{jobId}");
            request.Headers.Add(OuHeader, ou);
            var started = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            reads.Add((response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            if (response.IsSuccessStatusCode && JsonNode.Parse(body)!["status"]!.ToString() is "completed" or "failed" or "cancelled")
            {
                open.Remove(jobId);
            }
        }

        return reads;
    }

    private static void Report(string what, TimeSpan elapsed, ResourceWatch watch, IEnumerable<HttpStatusCode> statuses)
    {
        var counts = statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {elapsed.TotalSeconds:0.0} s, peak working set {watch.PeakWorkingSet / 1e6:0} MB, largest WAL {watch.PeakWal / 1e6:0.0} MB, answers {string.Join(' ', counts)}"));
    }

    /// <summary>Samples the process's working set and the WAL file's size every 50 ms, keeping the largest.</summary>
    private sealed class ResourceWatch : IDisposable
    {
        private readonly string _walPath;
        private readonly Timer _timer;
        private long _peakWorkingSet;
        private long _peakWal;

        public ResourceWatch(string walPath)
        {
            _walPath = walPath;
            _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));
        }

        public long PeakWorkingSet => Interlocked.Read(ref _peakWorkingSet);

        public long PeakWal => Interlocked.Read(ref _peakWal);

        public void Reset()
        {
            Interlocked.Exchange(ref _peakWorkingSet, 0);
            Interlocked.Exchange(ref _peakWal, 0);
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            using var process = Process.GetCurrentProcess();
            Max(ref _peakWorkingSet, process.WorkingSet64);
            var wal = new FileInfo(_walPath);
            Max(ref _peakWal, wal.Exists ? wal.Length : 0);
        }

        private static void Max(ref long peak, long value)
        {
            var seen = Interlocked.Read(ref peak);
            while (value > seen && Interlocked.CompareExchange(ref peak, value, seen) != seen)
            {
                seen = Interlocked.Read(ref peak);
            }
        }
    }
}
