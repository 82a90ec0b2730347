using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>The schema is created and migrated at start: versioned, idempotent, safe when several start at once.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Many_openers_of_one_new_database_migrate_it_once_and_all_come_up()
    {
        var openers = Enumerable.Range(0, 8).Select(_ => _database.Open()).ToList();

        var connections = await Task.WhenAll(openers.Select(d => Task.Run(() => d.OpenAsync(CancellationToken.None))));

        foreach (var connection in connections)
        {
            Assert.Equal((long)SqliteSchema.LatestVersion, await connection.ScalarAsync("PRAGMA user_version", CancellationToken.None));
            Assert.Equal("wal", await connection.ScalarAsync("PRAGMA journal_mode", CancellationToken.None));
            Assert.Equal(1L, await connection.ScalarAsync("PRAGMA foreign_keys", CancellationToken.None));
            Assert.Equal(1L, await connection.ScalarAsync("PRAGMA secure_delete", CancellationToken.None));
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task Opening_an_up_to_date_database_again_changes_nothing()
    {
        await using (var first = await _database.Open().OpenAsync(CancellationToken.None))
        {
            await first.ExecuteAsync("INSERT INTO files (ou, file_id, expires_at) VALUES ('ou', 'preview_x', 1)", CancellationToken.None);
        }

        await using var again = await _database.Open().OpenAsync(CancellationToken.None);

        Assert.Equal(1L, await again.ScalarAsync("SELECT COUNT(*) FROM files", CancellationToken.None));
    }

    [Fact]
    public async Task Leads_and_identifiers_of_a_version_2_database_survive_the_upgrades_in_their_order_and_their_ous()
    {
        var database = _database.Open();
        await SqliteSchema.MigrateAsync(database, targetVersion: 2, CancellationToken.None);
        await using (var old = await database.OpenRawAsync(CancellationToken.None))
        {
            await old.ExecuteAsync(
                """
                INSERT INTO leads (ou, lead_id, seq, fields, created_by, updated_by) VALUES
                    ('ou', 'lead_b', 1, '{"first_name":"Bea"}', 'job_1', 'job_1'),
                    ('ou', 'lead_a', 2, '{"first_name":"Al"}', 'job_1', 'job_2'),
                    ('ou-2', 'lead_c', 1, '{"first_name":"Cy"}', 'job_3', 'job_3');
                INSERT INTO identifiers (ou, kind, value, lead_id, seq) VALUES
                    ('ou', 0, 'bea@x.com', 'lead_b', 1), ('ou', 1, '+15550100', 'lead_b', 3), ('ou', 0, 'al@x.com', 'lead_a', 2),
                    ('ou-2', 0, 'bea@x.com', 'lead_c', 4);
                """,
                CancellationToken.None);
        }

        var leads = new SqliteLeadStore(_database.Open());
        var page = await leads.ListAsync("ou", 1, 10, CancellationToken.None);

        Assert.Equal(["lead_b", "lead_a"], page.Items.Select(l => l.LeadId));
        Assert.Equal("Al", page.Items[1].Fields["first_name"]);
        Assert.Equal("job_2", page.Items[1].UpdatedByJobId);
        Assert.Equal(
            [new IdentifierKey(IdentifierKind.Email, "bea@x.com"), new IdentifierKey(IdentifierKind.Phone, "+15550100")],
            page.Items[0].Identifiers);
        Assert.Equal("lead_a", (await leads.FindAsync("ou", new IdentifierKey(IdentifierKind.Email, "al@x.com"), CancellationToken.None))?.LeadId);
        Assert.Equal(2, page.Total);
        var other = await leads.FindAsync("ou-2", new IdentifierKey(IdentifierKind.Email, "bea@x.com"), CancellationToken.None);
        Assert.Equal(("lead_c", "ou-2", "Cy"), (other?.LeadId, other?.Ou, other?.Fields["first_name"]));
        Assert.Equal(1, (await leads.ListAsync("ou-2", 1, 10, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Jobs_errors_and_warnings_of_a_version_5_database_read_back_and_keep_their_file_one_real_import()
    {
        var database = _database.Open();
        await SqliteSchema.MigrateAsync(database, targetVersion: 5, CancellationToken.None);
        // As version 5 wrote a job: the public ImportJob serialized as it was, with no format and no record version.
        const string job =
            """
            {"JobId":"job_old","Ou":"ou","FileId":"preview_old","FileName":"leads.csv","Status":2,
             "Settings":{"PrimaryColumn":"Email","PrimaryKind":0,"FieldMappings":{"Name":"first_name"},"AliasMappings":{"Phone":1},"DryRun":false,"Mode":0},
             "Headers":["Email","Name","Phone"],"CreatedAt":"1970-01-01T00:00:00+00:00","StartedAt":null,"CompletedAt":"1970-01-01T00:00:02+00:00",
             "TotalRows":3,"Counters":{"Created":1,"Updated":1,"Failed":1,"Skipped":0,"Processed":3},"Errors":[],"Warnings":[],
             "WarningCount":1,"CancelRequested":false,"FailureReason":null}
            """;
        await using (var old = await database.OpenRawAsync(CancellationToken.None))
        {
            await old.ExecuteAsync(
                """
                INSERT INTO jobs (job_id, ou, file_id, seq, status, created_at, completed_at, processed, job)
                    VALUES ('job_old', 'ou', 'preview_old', 1, 2, 1, 2, 3, $job);
                INSERT INTO job_errors (job_id, row, error, value, cells) VALUES ('job_old', 2, 'Invalid email format', 'bad', '["bad","Bo"]');
                INSERT INTO job_warnings (job_id, seq, row, warning, value) VALUES ('job_old', 1, 3, 'Alias belongs to another lead', '+1555');
                """,
                CancellationToken.None,
                ("$job", job));
        }

        var storage = _database.Storage(TimeProvider.System);
        var jobs = storage.Jobs;
        var read = await jobs.GetAsync("ou", "job_old", 10, CancellationToken.None);
        var dryRun = await storage.CreateJobAsync(OldJob() with { JobId = "job_dry", Settings = OldJob().Settings with { DryRun = true } }, 20, CancellationToken.None);
        var real = await storage.CreateJobAsync(OldJob() with { JobId = "job_new" }, 20, CancellationToken.None);

        Assert.Equal((JobStatus.Completed, "preview_old", (CsvFileFormat?)null), (read!.Status, read.FileId, read.Format));
        Assert.Equal((new JobCounters(1, 1, 1, 0), 1L), (read.Counters, read.WarningCount));
        Assert.Equal((IdentifierKind.Email, "first_name", IdentifierKind.Phone), (read.Settings.PrimaryKind, read.Settings.FieldMappings["Name"], read.Settings.AliasMappings["Phone"]));
        var error = Assert.Single(read.Errors);
        Assert.Equal((2L, "Invalid email format", "bad", (string?)null), (error.Row, error.Error, error.Value, error.Detail));
        Assert.Equal(["bad", "Bo"], error.Cells);
        Assert.Equal(new RowWarning(3, "Alias belongs to another lead", "+1555"), Assert.Single(read.Warnings));
        Assert.Equal("job_old", (await jobs.FindByFileAsync("ou", "preview_old", CancellationToken.None))?.JobId);
        Assert.Equal((JobCreationStatus.FileAlreadyStarted, "job_old"), (dryRun.Status, dryRun.Job?.JobId));
        Assert.Equal((JobCreationStatus.FileAlreadyStarted, "job_old"), (real.Status, real.Job?.JobId));
    }

    [Fact]
    public async Task A_lead_of_a_version_8_database_can_be_forgotten_after_the_upgrade()
    {
        var database = _database.Open();
        await SqliteSchema.MigrateAsync(database, targetVersion: 8, CancellationToken.None);
        await using (var old = await database.OpenRawAsync(CancellationToken.None))
        {
            await old.ExecuteAsync(
                """
                INSERT INTO ous (id, ou, feed_batches) VALUES (1, 'ou', 1);
                INSERT INTO leads (ou_id, lead_id, fields, created_by, updated_by, feed_batch) VALUES (1, 'lead_al', '{"first_name":"Al"}', 'job_1', 'job_1', 1);
                INSERT INTO identifiers (ou_id, kind, value, lead_id) VALUES (1, 0, 'al@x.com', 'lead_al'), (1, 1, '+15550100', 'lead_al');
                """,
                CancellationToken.None);
        }

        var storage = _database.Storage(TimeProvider.System);
        var forgotten = await storage.ForgetLeadAsync("ou", new IdentifierKey(IdentifierKind.Phone, "+15550100"), CancellationToken.None);

        Assert.Equal(new ForgetLeadOutcome("lead_al", 2, 0, 0), forgotten);
        Assert.Equal(0, (await storage.Leads.ListAsync("ou", 1, 10, CancellationToken.None)).Total);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal((long)SqliteSchema.LatestVersion, await connection.ScalarAsync("PRAGMA user_version", CancellationToken.None));
        Assert.Equal("lead_al", await connection.ScalarAsync("SELECT lead_id FROM forgotten_leads WHERE ou_id = 1", CancellationToken.None));
    }

    [Fact]
    public async Task A_job_of_a_version_9_database_was_started_by_no_one_and_new_jobs_keep_who_started_them()
    {
        var database = _database.Open();
        await SqliteSchema.MigrateAsync(database, targetVersion: 9, CancellationToken.None);
        const string job =
            """
            {"V":1,"JobId":"job_old","Ou":"ou","FileId":"preview_old","FileName":"leads.csv","Status":0,
             "Settings":{"PrimaryColumn":"Email","PrimaryKind":0,"FieldMappings":{},"AliasMappings":{},"DryRun":false,"Mode":0},
             "Headers":["Email"],"CreatedAt":"1970-01-01T00:00:00+00:00","StartedAt":null,"CompletedAt":null,"TotalRows":1,"Counters":{"Created":0,"Updated":0,"Failed":0,"Skipped":0},"WarningCount":0,"CancelRequested":false,"FailureReason":null,"Stall":null}
            """;
        await using (var old = await database.OpenRawAsync(CancellationToken.None))
        {
            await old.ExecuteAsync(
                "INSERT INTO jobs (job_id, ou, file_id, dry_run, seq, status, created_at, job) VALUES ('job_old', 'ou', 'preview_old', 0, 1, 0, 0, $job)",
                CancellationToken.None,
                ("$job", job));
        }

        var storage = _database.Storage(TimeProvider.System);
        var read = await storage.Jobs.GetAsync("ou", "job_old", 0, CancellationToken.None);
        var lease = await storage.Jobs.AcquireNextAsync("w1", TimeSpan.FromMinutes(1), CancellationToken.None);
        var added = StoreTestData.NewJob("ou", DateTimeOffset.UnixEpoch) with { CreatedBy = "Zoë" };
        await storage.Files.WriteContentAsync("ou", added.FileId, DateTimeOffset.UtcNow.AddHours(1), new MemoryStream([1]), CancellationToken.None);
        Assert.True(await storage.Files.PublishAsync(StoreTestData.NewPreview("ou", added.FileId, DateTimeOffset.UtcNow), 50, CancellationToken.None));
        Assert.Equal(JobCreationStatus.Created, (await storage.CreateJobAsync(added, 20, CancellationToken.None)).Status);

        Assert.Equal(("job_old", (string?)null), (read?.JobId, read?.CreatedBy));
        Assert.Equal(("job_old", (string?)null), (lease?.Job.JobId, lease?.Job.CreatedBy));
        Assert.Equal("Zoë", (await storage.Jobs.GetAsync("ou", added.JobId, 0, CancellationToken.None))?.CreatedBy);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal((long)SqliteSchema.LatestVersion, await connection.ScalarAsync("PRAGMA user_version", CancellationToken.None));
        Assert.Equal("Zoë", await connection.ScalarAsync($"SELECT created_by FROM jobs WHERE job_id = '{added.JobId}'", CancellationToken.None));
        Assert.DoesNotContain("Zoë", (string)(await connection.ScalarAsync($"SELECT job FROM jobs WHERE job_id = '{added.JobId}'", CancellationToken.None))!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_is_stored_in_its_own_frozen_shape_not_the_public_types()
    {
        // Renaming a property of ImportJob must not change what is stored: the row's names are StoredJob's, pinned here.
        var storage = _database.Storage(TimeProvider.System);
        var job = StoreTestData.NewJob("ou", DateTimeOffset.UnixEpoch);
        await storage.Files.WriteContentAsync("ou", job.FileId, DateTimeOffset.UtcNow.AddHours(1), new MemoryStream([1]), CancellationToken.None);
        Assert.True(await storage.Files.PublishAsync(StoreTestData.NewPreview("ou", job.FileId, DateTimeOffset.UtcNow), 50, CancellationToken.None));
        Assert.Equal(JobCreationStatus.Created, (await storage.CreateJobAsync(job, 20, CancellationToken.None)).Status);
        await using var connection = await _database.Open().OpenAsync(CancellationToken.None);

        var stored = System.Text.Json.Nodes.JsonNode.Parse((string)(await connection.ScalarAsync("SELECT job FROM jobs", CancellationToken.None))!)!.AsObject();

        Assert.Equal(
            ["CancelRequested", "CompletedAt", "Counters", "CreatedAt", "FailureReason", "FileId", "FileName", "Format", "Headers", "JobId", "Ou", "Settings",
             "Stall", "StartedAt", "Status", "TotalRows", "V", "WarningCount"],
            stored.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["Delimiter", "Encoding", "HasByteOrderMark"], stored["Format"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal((int)CsvTextEncoding.Windows1252, (int)stored["Format"]!["Encoding"]!);
    }

    private static ImportJob OldJob() => new()
    {
        JobId = "job_old",
        Ou = "ou",
        FileId = "preview_old",
        FileName = "leads.csv",
        Status = JobStatus.Completed,
        Settings = new ImportSettings
        {
            PrimaryColumn = "Email",
            PrimaryKind = IdentifierKind.Email,
            FieldMappings = new Dictionary<string, string> { ["Name"] = "first_name" },
            AliasMappings = new Dictionary<string, IdentifierKind>(),
        },
        Headers = ["Email", "Name"],
        CreatedAt = DateTimeOffset.UnixEpoch,
        TotalRows = 3,
    };

    [Fact]
    public async Task A_database_of_a_newer_schema_is_refused_and_a_failed_migration_is_tried_again()
    {
        var database = _database.Open();
        await using (var raw = await database.OpenRawAsync(CancellationToken.None))
        {
            await raw.ExecuteAsync($"PRAGMA user_version = {SqliteSchema.LatestVersion + 1}", CancellationToken.None);
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => database.OpenAsync(CancellationToken.None));
        Assert.Contains($"schema version {SqliteSchema.LatestVersion + 1}", refused.Message, StringComparison.Ordinal);
        await using (var raw = await database.OpenRawAsync(CancellationToken.None))
        {
            await raw.ExecuteAsync("PRAGMA user_version = 0", CancellationToken.None);
        }

        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal((long)SqliteSchema.LatestVersion, await connection.ScalarAsync("PRAGMA user_version", CancellationToken.None));
    }

    [Fact]
    public async Task A_host_on_a_database_of_a_newer_schema_does_not_start()
    {
        await using (var raw = await _database.Open().OpenRawAsync(CancellationToken.None))
        {
            await raw.ExecuteAsync($"PRAGMA user_version = {SqliteSchema.LatestVersion + 1}", CancellationToken.None);
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddLeadImport().UseSqlite(_database.ConnectionString);
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("newer than version", refused.Message, StringComparison.Ordinal);
    }
}
