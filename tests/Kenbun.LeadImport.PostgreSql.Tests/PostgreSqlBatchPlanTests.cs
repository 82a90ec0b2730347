using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Testing.Processes;
using Npgsql;
using static Kenbun.LeadImport.Testing.StoreTestData;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// A batch reaches the OU's identifiers and leads by key, however large the OU: its look-up probes the identifiers'
/// primary key once per identifier and its update finds each lead by its key. Joined plainly to a thousand keys, the
/// planner read the OU's whole tables instead, for every batch, so an import slowed down as its OU grew (a 100,000-row
/// import spent most of its time there). The plans are the ones the store's own statements get, written to the server's
/// log by <c>auto_explain</c> on the store's connections.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlBatchPlanTests(PostgresServer server) : StorageTests
{
    private const int Existing = 60_000;

    private readonly string _schema = PostgresCluster.NewSchemaName();

    [Fact]
    public async Task A_batch_looks_up_identifiers_and_updates_leads_by_key_in_an_OU_of_60000_leads()
    {
        var job = await StartAsync(Ou);
        await FillOuAsync();
        var logged = new FileInfo(server.LogFile).Length;

        var asked = Enumerable.Range(1, 1000).Select(i => Email($"p{i * 120}@x.io")).ToList(); // the first half exist
        var owners = new Dictionary<IdentifierKey, string>();
        await Leads.LookupAsync(Ou, asked, owners, None);
        List<LeadChange> changes = [.. Enumerable.Range(1, 1000).Select(i => Update($"lead_{i * 7}", Fields(("company", "Initech"))))];
        var committed = await CommitAsync(job, changes, updated: changes.Count);

        Assert.Equal(Enumerable.Range(1, 500).Select(i => $"lead_{i * 120}"), asked.Where(owners.ContainsKey).Select(identifier => owners[identifier]));
        Assert.Equal(BatchCommitStatus.Committed, committed.Status);
        Assert.Equal("Initech", (await Leads.FindAsync(Ou, Email("p7@x.io"), None))!.Fields["company"]);
        Assert.Equal("Acme", (await Leads.FindAsync(Ou, Email("p8@x.io"), None))!.Fields["company"]);
        var plans = await PlansSinceAsync(logged);
        AssertByKey(Assert.Single(plans, plan => plan.Contains("unnest($1, $2) AS k(kind, value)", StringComparison.Ordinal)), "identifiers");
        AssertByKey(Assert.Single(plans, plan => plan.Contains("Update on leads", StringComparison.Ordinal)), "leads");
    }

    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider)
    {
        // Set at connection start, so the pool's reset between uses keeps them.
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString(PostgresCluster.SharedDatabase, pooling: true))
        {
            Options = "-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0",
        };
        var database = new PostgreSqlDatabase(NpgsqlDataSource.Create(connectionString), new PostgreSqlStoreOptions { Schema = _schema }, ownsDataSource: true);
        return Task.FromResult<LeadImportStorage>(new PostgreSqlStorage(database, timeProvider));
    }

    /// <summary>Asserts that a plan reads <paramref name="table"/> only by its primary key or by row address, never whole.</summary>
    private static void AssertByKey(string plan, string table)
    {
        Assert.DoesNotContain($"Seq Scan on {table}", plan, StringComparison.Ordinal);
        Assert.DoesNotContain($"Bitmap Heap Scan on {table}", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Hash Join", plan, StringComparison.Ordinal);
        Assert.Contains($"Index Scan using {table}_pkey on {table}", plan, StringComparison.Ordinal);
    }

    /// <summary>Gives the OU <see cref="Existing"/> leads, each with an email and a phone, and has the planner count them.</summary>
    private async Task FillOuAsync()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString(PostgresCluster.SharedDatabase));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $$"""
            INSERT INTO "{{_schema}}".leads (ou, lead_id, fields, created_by, updated_by, feed_batch)
            SELECT @ou, 'lead_' || g, '{"company": "Acme"}', 'job_x', 'job_x', 0 FROM generate_series(1, {{Existing}}) g;
            INSERT INTO "{{_schema}}".identifiers (ou, kind, value, lead_id)
            SELECT @ou, 0, 'p' || g || '@x.io', 'lead_' || g FROM generate_series(1, {{Existing}}) g;
            INSERT INTO "{{_schema}}".identifiers (ou, kind, value, lead_id)
            SELECT @ou, 1, '+1415' || (2000000 + g), 'lead_' || g FROM generate_series(1, {{Existing}}) g;
            ANALYZE "{{_schema}}".leads;
            ANALYZE "{{_schema}}".identifiers;
            """,
            connection);
        command.Parameters.AddWithValue("ou", Ou);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The plans <c>auto_explain</c> logged for this test's schema since the log was <paramref name="length"/> bytes long.</summary>
    private async Task<List<string>> PlansSinceAsync(long length)
    {
        await using var log = new FileStream(server.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        log.Seek(length, SeekOrigin.Begin);
        var text = await new StreamReader(log).ReadToEndAsync();
        return [.. text.Split(" LOG:  ").Where(entry => entry.Contains("plan:", StringComparison.Ordinal) && entry.Contains(_schema, StringComparison.Ordinal))];
    }
}
