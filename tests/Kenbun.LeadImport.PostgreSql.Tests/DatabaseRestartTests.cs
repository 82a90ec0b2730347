using System.Text.Json.Nodes;
using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// A database restart in the middle of an import (CONTRACT §6): every connection is cut, the store is unavailable for a
/// while, and the job stalls and retries rather than failing, then goes on where it was, exactly.
/// </summary>
/// <remarks>Restarts the collection's shared server: the collection's tests run one at a time, so no other test sees it.</remarks>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseRestartTests(PostgresServer server)
{
    [Fact]
    public async Task An_import_through_a_database_restart_stalls_goes_on_in_the_same_run_and_completes_with_exact_counts()
    {
        var database = await server.CreateDatabaseAsync();
        var import = SoloImport.Generate(seed: 4, rows: 50_000, people: 30_000);
        // A lease far longer than the restart: the run that stalls must be the one that goes on, not a takeover.
        using var host = await SampleProcess.StartAsync(database, TimeSpan.FromSeconds(30), storage: "PostgreSql");
        var jobId = await import.StartAsync(host.Client);
        var before = await host.Client.WaitForProgressAsync(jobId, import.Totals.Rows * 3 / 10);
        var owner = await StoredLeads.LeaseOwnerAsync(database, jobId);

        await server.RestartAsync();

        // Still running after the restart (so the restart cut it mid-import), moving on, and under the same lease.
        await host.Client.WaitForProgressAsync(jobId, before + 1);
        Assert.NotNull(owner);
        Assert.Equal(owner, await StoredLeads.LeaseOwnerAsync(database, jobId));
        var job = await host.Client.WaitForCompletionAsync(jobId);
        Assert.True(job["status"]!.ToString() == "completed", $"The job ended {job.ToJsonString()}; the host logged:\n{host.RecentOutput}");
        Assert.Equal((JsonNode?)null, job["stalled_since"]);
        await import.AssertImportedAsync(database, job);
    }
}
