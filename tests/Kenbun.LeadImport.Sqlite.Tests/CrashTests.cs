using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>
/// Crash safety: the sample host runs as a child process on a SQLite database and is killed with SIGKILL while a job
/// runs, three times at different points; started again on the same database each time, the job completes with exact
/// counters, no lead duplicated and no row applied twice.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kenbun-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_job_killed_three_times_completes_with_exact_counts_after_each_restart()
    {
        Directory.CreateDirectory(_folder);
        var (csv, rows, distinctValid) = GenerateFile();
        var port = FreePort();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "dev-token-acme");

        var host = await StartSampleAsync(port, client);
        var preview = JsonNode.Parse(await (await client.PostAsync("/leads/import/preview", Upload(csv))).Content.ReadAsStringAsync())!;
        Assert.Equal(rows, (long)preview["row_count"]!);
        var start = await client.PostAsync("/leads/import/start", new StringContent(
            "{\"file_id\":\"" + preview["file_id"] + "\",\"primary_identifier\":{\"column\":\"Email\",\"kind\":\"email\"},\"field_mappings\":{\"Name\":\"first_name\"}}",
            Encoding.UTF8,
            "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var jobId = JsonNode.Parse(await start.Content.ReadAsStringAsync())!["job_id"]!.ToString();

        var killedAt = new List<long>();
        foreach (var share in new[] { 0.1, 0.45, 0.8 })
        {
            var processed = await WaitForProgressAsync(client, jobId, (long)(rows * share));
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            host.Dispose();
            killedAt.Add(processed);
            host = await StartSampleAsync(port, client);
        }

        var job = await WaitForCompletionAsync(client, jobId);
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();
        host.Dispose();

        Assert.All(killedAt, p => Assert.InRange(p, 1, rows - 1));
        Assert.Equal("completed", job["status"]!.ToString());
        Assert.Equal(rows, (long)job["created_count"]! + (long)job["updated_count"]! + (long)job["failed_count"]!);
        Assert.Equal(distinctValid, (long)job["created_count"]!);
        Assert.Equal(rows - distinctValid - (long)job["failed_count"]!, (long)job["updated_count"]!);
        var database = new SqliteDatabase(ConnectionString);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(distinctValid, (long)(await connection.ScalarAsync("SELECT COUNT(*) FROM leads", CancellationToken.None))!);
        Assert.Equal(distinctValid, (long)(await connection.ScalarAsync("SELECT COUNT(*) FROM identifiers", CancellationToken.None))!);
        Assert.Equal(
            distinctValid,
            (long)(await connection.ScalarAsync("SELECT COUNT(DISTINCT lead_id) FROM identifiers", CancellationToken.None))!);
    }

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "leads.db")}";

    /// <summary>About 9 MB of short rows: ~20% repeat an earlier email in another spelling, ~2% are invalid.</summary>
    private static (byte[] Csv, long Rows, long DistinctValid) GenerateFile()
    {
        var random = new Random(1234);
        var text = new StringBuilder("Email,Name\n");
        var distinct = new HashSet<string>();
        long rows = 0;
        while (text.Length < 9_000_000)
        {
            rows++;
            string email;
            var roll = random.NextDouble();
            if (roll < 0.02)
            {
                email = $"broken{rows}.at.example";
            }
            else if (roll < 0.22 && distinct.Count > 0)
            {
                var earlier = random.Next(distinct.Count);
                email = $" U{earlier}@X.IO ";
            }
            else
            {
                email = $"u{distinct.Count}@x.io";
            }

            if (roll >= 0.02)
            {
                distinct.Add(email.Trim().ToLowerInvariant());
            }

            text.Append(email).Append(",N").Append(rows % 100).Append('\n');
        }

        return (Encoding.UTF8.GetBytes(text.ToString()), rows, distinct.Count);
    }

    private async Task<Process> StartSampleAsync(int port, HttpClient client)
    {
        var sample = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Kenbun.LeadImport.Sample", Path.GetFileName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))));
        var info = new ProcessStartInfo("dotnet", Path.Combine(sample, "Kenbun.LeadImport.Sample.dll"))
        {
            WorkingDirectory = sample,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ConnectionStrings__LeadImport"] = ConnectionString;
        info.Environment["LeadImport__JobLeaseDuration"] = "00:00:02";
        info.Environment["LeadImport__WorkerPollInterval"] = "00:00:00.100";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await client.GetAsync("/leads/import/jobs")).IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.False(process.HasExited, "The sample host exited while starting.");
            await Task.Delay(100);
        }

        throw new TimeoutException("The sample host did not start.");
    }

    private static async Task<long> WaitForProgressAsync(HttpClient client, string jobId, long atLeast)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (DateTime.UtcNow < deadline)
        {
            var job = JsonNode.Parse(await client.GetStringAsync($"/leads/import/jobs/{jobId}"))!;
            var processed = (long)job["processed_rows"]!;
            Assert.NotEqual("completed", job["status"]!.ToString());
            if (processed >= atLeast)
            {
                return processed;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"The job made no progress: {await client.GetStringAsync($"/leads/import/jobs/{jobId}")}");
    }

    private static async Task<JsonNode> WaitForCompletionAsync(HttpClient client, string jobId)
    {
        for (var i = 0; i < 2400; i++)
        {
            var job = JsonNode.Parse(await client.GetStringAsync($"/leads/import/jobs/{jobId}"))!;
            if (job["status"]!.ToString() is "completed" or "failed" or "cancelled")
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The job did not complete after the restarts.");
    }

    private static MultipartFormDataContent Upload(byte[] csv)
    {
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return new MultipartFormDataContent { { file, "file", "crash.csv" } };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
