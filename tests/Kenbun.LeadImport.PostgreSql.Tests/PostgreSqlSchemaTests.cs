using System.Diagnostics;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Testing.Processes;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// The schema: created and migrated at start under an advisory lock, versioned with the oldest version whose code runs on
/// it (rolling upgrades), refused when newer than the code knows, and appliable by hand with the scripts the package ships.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlSchemaTests(PostgresServer server)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Ten_instances_starting_together_on_a_new_schema_migrate_it_once_and_all_come_up()
    {
        var schema = PostgresCluster.NewSchemaName();
        var instances = Enumerable.Range(0, 10).Select(_ => server.Database(schema)).ToList();

        await Task.WhenAll(instances.Select(instance => Task.Run(instance.EnsureSchemaAsync)));

        Assert.Equal(
            Enumerable.Range(1, PostgreSqlSchema.LatestVersion).Select(v => (long)v),
            await ColumnAsync(instances[0], "SELECT version FROM :\"schema\".schema_versions ORDER BY version"));
        await Task.WhenAll(instances.Select(instance => instance.DisposeAsync().AsTask()));
    }

    [Fact]
    public async Task A_schema_a_newer_release_changed_incompatibly_is_refused_naming_both_versions()
    {
        var schema = PostgresCluster.NewSchemaName();
        await using var current = server.Database(schema);
        await current.EnsureSchemaAsync();
        var newer = PostgreSqlSchema.LatestVersion + 1;
        await ExecuteAsync(current, $"INSERT INTO :\"schema\".schema_versions (version, compatible_with, description) VALUES ({newer}, {newer}, 'a breaking change')");

        await using var older = server.Database(schema);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(older.EnsureSchemaAsync);

        Assert.Contains($"version {newer}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"knows version {PostgreSqlSchema.LatestVersion}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_previous_release_keeps_running_on_a_schema_a_newer_release_extended_compatibly()
    {
        var schema = PostgresCluster.NewSchemaName();
        await using var current = server.Database(schema);
        await current.EnsureSchemaAsync();
        var newer = PostgreSqlSchema.LatestVersion + 1;
        await ExecuteAsync(current, $"INSERT INTO :\"schema\".schema_versions (version, compatible_with, description) VALUES ({newer}, {PostgreSqlSchema.LatestVersion}, 'an added column')");

        await using var previous = server.Database(schema);
        await previous.EnsureSchemaAsync();
        using var storage = new PostgreSqlStorage(previous, TimeProvider.System);

        Assert.Equal(0, (await storage.Files.GetPreviewUsageAsync("ou-a", None)).Count);
    }

    [Fact]
    public async Task A_job_written_at_version_1_was_started_by_no_one_and_new_jobs_keep_who_started_them()
    {
        var schema = PostgresCluster.NewSchemaName();
        await using (var old = server.Database(schema))
        {
            await PostgreSqlSchema.MigrateAsync(old, targetVersion: 1, None);
            await ExecuteAsync(
                old,
                """
                INSERT INTO :"schema".jobs (ou, job_id, file_id, dry_run, status, created_at, job)
                VALUES ('ou', 'job_old', 'preview_old', false, 0, now(),
                        '{"V":1,"JobId":"job_old","Ou":"ou","FileId":"preview_old","FileName":"leads.csv","Status":0,"Settings":{"PrimaryColumn":"Email","PrimaryKind":0,"FieldMappings":{},"AliasMappings":{},"DryRun":false,"Mode":0},"Headers":["Email"],"CreatedAt":"2026-01-01T00:00:00+00:00","StartedAt":null,"CompletedAt":null,"TotalRows":1,"Counters":{"Created":0,"Updated":0,"Failed":0,"Skipped":0},"WarningCount":0,"CancelRequested":false,"FailureReason":null,"Stall":null}')
                """);
        }

        await using var database = server.Database(schema);
        using var storage = new PostgreSqlStorage(database, TimeProvider.System);
        var read = await storage.Jobs.GetAsync("ou", "job_old", 0, None);
        var lease = await storage.Jobs.AcquireNextAsync("w1", TimeSpan.FromMinutes(1), None);
        var added = Testing.StoreTestData.NewJob("ou", DateTimeOffset.UtcNow) with { CreatedBy = "Zoë" };
        await storage.Files.WriteContentAsync("ou", added.FileId, DateTimeOffset.UtcNow.AddHours(1), new MemoryStream([1]), None);
        Assert.True(await storage.Files.PublishAsync(StoreTestData.NewPreview("ou", added.FileId, DateTimeOffset.UtcNow), 50, None));
        Assert.Equal(Storage.JobCreationStatus.Created, (await storage.CreateJobAsync(added, 20, None)).Status);

        Assert.Equal(("job_old", (string?)null), (read?.JobId, read?.CreatedBy));
        Assert.Equal(("job_old", (string?)null), (lease?.Job.JobId, lease?.Job.CreatedBy));
        Assert.Equal("Zoë", (await storage.Jobs.GetAsync("ou", added.JobId, 0, None))?.CreatedBy);
        Assert.Equal(Enumerable.Range(1, PostgreSqlSchema.LatestVersion).Select(v => (long)v), await ColumnAsync(database, "SELECT version FROM :\"schema\".schema_versions ORDER BY version"));
        Assert.Equal([1L], await ColumnAsync(database, "SELECT compatible_with FROM :\"schema\".schema_versions WHERE version = 2"));
    }

    [Fact]
    public async Task A_host_that_may_not_migrate_refuses_a_schema_that_is_missing_saying_how_to_apply_the_scripts()
    {
        await using var database = server.Database(migrate: false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(database.EnsureSchemaAsync);

        Assert.Contains("is at version 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("psql -v schema=", error.Message, StringComparison.Ordinal);
        Assert.Contains("MigrateSchemaAtStart", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shipped_scripts_applied_with_psql_give_a_schema_a_host_that_may_not_migrate_runs_on()
    {
        var schema = PostgresCluster.NewSchemaName();
        var scripts = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "sql", "postgresql"), "*.sql").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(PostgreSqlSchema.LatestVersion, scripts.Count);

        foreach (var script in scripts)
        {
            await PsqlAsync(schema, script);
        }

        await using var database = server.Database(schema, migrate: false);
        await database.EnsureSchemaAsync();
        using var storage = new PostgreSqlStorage(database, TimeProvider.System);
        Assert.Equal(0, (await storage.Jobs.GetQueueStatusAsync(None)).QueuedJobs);
    }

    private async Task PsqlAsync(string schema, string script)
    {
        var connection = new NpgsqlConnectionStringBuilder(server.ConnectionString(PostgresCluster.SharedDatabase));
        var info = new ProcessStartInfo(Path.Combine(PostgresCluster.Binaries!, "psql"))
        {
            ArgumentList = { "-h", connection.Host!, "-p", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", connection.Database!, "-v", "ON_ERROR_STOP=1", "-v", $"schema={schema}", "-f", script },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var psql = Process.Start(info)!;
        var output = psql.StandardOutput.ReadToEndAsync();
        var error = await psql.StandardError.ReadToEndAsync();
        await psql.WaitForExitAsync();
        Assert.True(psql.ExitCode == 0, $"psql {script}: {error}{await output}");
    }

    private static async Task ExecuteAsync(PostgreSqlDatabase database, string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(database.Sql(sql), connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<long>> ColumnAsync(PostgreSqlDatabase database, string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(database.Sql(sql), connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<long>();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return values;
    }
}
