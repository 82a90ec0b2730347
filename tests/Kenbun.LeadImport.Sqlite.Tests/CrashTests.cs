using System.Text;
using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>
/// Crash safety and graceful shutdown (CONTRACT §6): the sample host runs as a child process on a SQLite database and
/// is stopped while a job runs: killed with SIGKILL three times at different points, or asked to stop with SIGTERM.
/// Started again on the same database, the job completes with exact counters, no lead duplicated and no row applied twice.
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
        var host = await SampleProcess.StartAsync(ConnectionString);
        var jobId = await StartImportAsync(host.Client, csv, rows);

        var killedAt = new List<long>();
        foreach (var share in new[] { 0.1, 0.45, 0.8 })
        {
            killedAt.Add(await host.Client.WaitForProgressAsync(jobId, (long)(rows * share)));
            await host.KillAsync();
            host.Dispose();
            host = await SampleProcess.StartAsync(ConnectionString);
        }

        var job = await host.Client.WaitForCompletionAsync(jobId);
        host.Dispose();

        Assert.All(killedAt, p => Assert.InRange(p, 1, rows - 1));
        Assert.Equal("completed", job["status"]!.ToString());
        Assert.Equal(rows, (long)job["created_count"]! + (long)job["updated_count"]! + (long)job["failed_count"]!);
        Assert.Equal(distinctValid, (long)job["created_count"]!);
        Assert.Equal(rows - distinctValid - (long)job["failed_count"]!, (long)job["updated_count"]!);
        await AssertEachLeadOnceAsync(distinctValid);
    }

    [Fact]
    public async Task A_host_stopped_by_sigterm_finishes_its_batch_gives_the_job_back_and_it_resumes_at_once_elsewhere()
    {
        Directory.CreateDirectory(_folder);
        var (csv, rows, distinctValid) = GenerateFile();
        // A lease far longer than the test: the restarted host can only take the job over if the first one gave it back.
        var lease = TimeSpan.FromMinutes(10);
        var host = await SampleProcess.StartAsync(ConnectionString, lease);
        var jobId = await StartImportAsync(host.Client, csv, rows);
        var seen = await host.Client.WaitForProgressAsync(jobId, rows / 5);

        var exitCode = await host.TerminateAsync(within: SampleProcess.ShutdownTimeout + TimeSpan.FromSeconds(5));
        host.Dispose();

        Assert.Equal(0, exitCode);
        var database = new SqliteDatabase(ConnectionString, new());
        var stopped = (await new SqliteJobStore(database, TimeProvider.System).GetAsync("ou-acme", jobId, 0, CancellationToken.None))!;
        Assert.Equal(Jobs.JobStatus.InProgress, stopped.Status);
        Assert.InRange(stopped.Counters.Processed, seen, rows - 1);
        Assert.Equal(stopped.Counters.Processed, stopped.Counters.Created + stopped.Counters.Updated + stopped.Counters.Failed);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            Assert.Null(await connection.ScalarAsync("SELECT lease_owner FROM jobs WHERE job_id = $id", CancellationToken.None, ("$id", jobId)));
            Assert.Equal(stopped.Counters.Created, (long)(await connection.ScalarAsync("SELECT COUNT(*) FROM leads", CancellationToken.None))!);
        }

        using var again = await SampleProcess.StartAsync(ConnectionString, lease);
        var job = await again.Client.WaitForCompletionAsync(jobId);

        Assert.Equal("completed", job["status"]!.ToString());
        Assert.Equal(distinctValid, (long)job["created_count"]!);
        Assert.Equal(rows, (long)job["created_count"]! + (long)job["updated_count"]! + (long)job["failed_count"]!);
        await AssertEachLeadOnceAsync(distinctValid);
    }

    private async Task AssertEachLeadOnceAsync(long distinctValid)
    {
        var database = new SqliteDatabase(ConnectionString, new());
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(distinctValid, (long)(await connection.ScalarAsync("SELECT COUNT(*) FROM leads", CancellationToken.None))!);
        Assert.Equal(distinctValid, (long)(await connection.ScalarAsync("SELECT COUNT(*) FROM identifiers", CancellationToken.None))!);
        Assert.Equal(
            distinctValid,
            (long)(await connection.ScalarAsync("SELECT COUNT(DISTINCT lead_id) FROM identifiers", CancellationToken.None))!);
    }

    private static Task<string> StartImportAsync(HttpClient client, byte[] csv, long rows) =>
        client.StartImportAsync(csv, rows, """{"primary_identifier":{"column":"Email","kind":"email"},"field_mappings":{"Name":"first_name"}}""");

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
}
