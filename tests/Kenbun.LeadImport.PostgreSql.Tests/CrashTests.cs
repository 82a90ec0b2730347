using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// Crash safety across instances (CONTRACT §6): two sample hosts share a database, and the one running a job is killed
/// (SIGKILL) three times; the other takes the job over once its lease lapses (2 s here), and it completes as if it had
/// never stopped: exact counters, every lead and identifier exactly as one uninterrupted run makes them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CrashTests(PostgresServer server)
{
    [Fact]
    public async Task A_job_whose_host_is_killed_three_times_is_taken_over_by_the_other_host_and_completes_with_exact_counts()
    {
        var database = await server.CreateDatabaseAsync();
        var import = SoloImport.Generate(seed: 3, rows: 100_000, people: 60_000);
        using var hosts = await SampleHosts.StartAsync(2, database, storage: "PostgreSql");
        var jobId = await import.StartAsync(hosts[0].Client);

        var killedAt = new List<long>();
        var runners = new List<int>();
        var afterKill = 0L;
        foreach (var share in new[] { 0.2, 0.5, 0.8 })
        {
            // Past the share, and past what the job had once the last runner was dead: a live host has taken it over since.
            killedAt.Add(await hosts[^1].Client.WaitForProgressAsync(jobId, Math.Max((long)(import.Totals.Rows * share), afterKill + 1)));
            // The job runs where its lease says: one of the two hosts, the one that took it over after the last kill.
            var owner = await StoredLeads.LeaseOwnerAsync(database, jobId);
            Assert.NotNull(owner);
            var runner = Assert.Single(hosts.All, host => host.ProcessId == StoredLeads.ProcessIdOf(owner));
            runners.Add(runner.ProcessId);
            await hosts.ReplaceAsync(runner);
            afterKill = (long)(await hosts[0].Client.GetJobAsync(jobId))["processed_rows"]!;
        }

        var job = await hosts[0].Client.WaitForCompletionAsync(jobId);

        Assert.Equal(3, runners.Distinct().Count());
        Assert.All(killedAt, processed => Assert.InRange(processed, 1, import.Totals.Rows - 1));
        await import.AssertImportedAsync(database, job);
    }
}
