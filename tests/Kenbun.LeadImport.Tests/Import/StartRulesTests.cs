using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>CONTRACT §3, starting an import: 404, 409, every 400 problem at once, column matching, ignored mappings, ownership.</summary>
public class StartRulesTests : IDisposable
{
    private const string Csv = "Email,First Name,Last Name,Phone,LinkedIn\nann@x.com,Ann,Lee,+1 555 0100,@ann\n";

    private readonly ImportHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task An_unknown_file_id_is_not_found()
    {
        var result = await _harness.Service.StartAsync(ImportHarness.Ou, ImportHost.ByEmail() with { FileId = ImportIds.NewFileId() }, CancellationToken.None);

        Assert.IsType<StartImportResult.FileNotFound>(result);
    }

    [Fact]
    public async Task Another_ous_file_id_is_not_found()
    {
        var preview = await _harness.PreviewAsync(Csv, ou: "ou-other");

        var result = await _harness.Service.StartAsync(ImportHarness.Ou, ImportHost.ByEmail() with { FileId = preview.FileId }, CancellationToken.None);

        Assert.IsType<StartImportResult.FileNotFound>(result);
    }

    [Fact]
    public async Task An_expired_file_id_is_not_found_judged_by_the_injected_clock()
    {
        var preview = await _harness.PreviewAsync(Csv);
        _harness.Time.Advance(TimeSpan.FromHours(1));

        var result = await _harness.Service.StartAsync(ImportHarness.Ou, ImportHost.ByEmail() with { FileId = preview.FileId }, CancellationToken.None);

        Assert.IsType<StartImportResult.FileNotFound>(result);
    }

    [Fact]
    public async Task A_second_start_of_one_file_names_the_existing_job()
    {
        var preview = await _harness.PreviewAsync(Csv);
        var request = ImportHost.ByEmail() with { FileId = preview.FileId };
        var first = Assert.IsType<StartImportResult.Started>(await _harness.Service.StartAsync(ImportHarness.Ou, request, CancellationToken.None));

        var second = await _harness.Service.StartAsync(ImportHarness.Ou, request, CancellationToken.None);
        await _harness.RunNextJobAsync();
        var third = await _harness.Service.StartAsync(ImportHarness.Ou, request, CancellationToken.None);

        Assert.Equal(first.Job.JobId, Assert.IsType<StartImportResult.AlreadyStarted>(second).Job.JobId);
        Assert.Equal(first.Job.JobId, Assert.IsType<StartImportResult.AlreadyStarted>(third).Job.JobId);
    }

    [Theory]
    [InlineData("  Zoë Müller ", "Zoë Müller")]
    [InlineData("user-42", "user-42")]
    [InlineData(" \t ", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public async Task The_job_records_who_started_it_as_the_host_named_them_and_blank_as_no_one(string? createdBy, string? recorded)
    {
        var started = Assert.IsType<StartImportResult.Started>(await _harness.StartAsync(Csv, ImportHost.ByEmail() with { CreatedBy = createdBy }));
        var ran = await _harness.RunNextJobAsync();

        Assert.Equal(recorded, started.Job.CreatedBy);
        Assert.Equal(recorded, (await _harness.Service.GetJobAsync(ImportHarness.Ou, started.Job.JobId, CancellationToken.None))?.CreatedBy);
        Assert.Equal(recorded, ran.CreatedBy);
        Assert.Equal(recorded, Assert.Single((await _harness.Service.ListJobsAsync(ImportHarness.Ou, 1, 10, CancellationToken.None)).Items).CreatedBy);
    }

    [Fact]
    public async Task Missing_file_id_and_primary_identifier_are_reported_together()
    {
        var result = await _harness.Service.StartAsync(ImportHarness.Ou, new StartImportRequest(), CancellationToken.None);

        var errors = Assert.IsType<StartImportResult.Invalid>(result).Errors;
        Assert.Equal(["file_id", "primary_identifier"], errors.Keys.Order());
    }

    [Fact]
    public async Task Every_problem_of_a_request_is_reported_at_once_keyed_by_its_path()
    {
        var preview = await _harness.PreviewAsync(Csv);
        var request = new StartImportRequest
        {
            FileId = preview.FileId,
            PrimaryIdentifier = new PrimaryIdentifierRequest(null, "fax"),
            AliasMappings = new Dictionary<string, string?> { ["Phone"] = "_alias_fax", ["LinkedIn"] = "linkedin" },
            Mode = "merge",
        };

        var errors = Assert.IsType<StartImportResult.Invalid>(await _harness.Service.StartAsync(ImportHarness.Ou, request, CancellationToken.None)).Errors;

        Assert.Equal(
            ["alias_mappings.LinkedIn", "alias_mappings.Phone", "mode", "primary_identifier.column", "primary_identifier.kind"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("email, phone, cookie, external_id, social", errors["primary_identifier.kind"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_primary_column_that_is_not_a_header_is_an_error_naming_the_headers()
    {
        var result = await _harness.StartAsync(Csv, ImportHost.ByEmail(column: "E-mail address"));

        var errors = Assert.IsType<StartImportResult.Invalid>(result).Errors;
        Assert.Contains("Email, First Name, Last Name, Phone, LinkedIn", Assert.Single(errors["primary_identifier.column"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_columns_mapped_to_one_profile_field_are_an_error_ignoring_the_fields_case()
    {
        var result = await _harness.StartAsync(Csv, ImportHost.ByEmail(fields: new Dictionary<string, string?> { ["First Name"] = "first_name", ["Last Name"] = "First_Name" }));

        var errors = Assert.IsType<StartImportResult.Invalid>(result).Errors;
        Assert.Contains("\"First Name\" and \"Last Name\"", Assert.Single(errors["field_mappings.Last Name"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_names_of_one_column_in_a_mapping_object_are_an_error_never_one_replacing_the_other()
    {
        var result = await _harness.StartAsync(Csv, ImportHost.ByEmail(
            fields: new Dictionary<string, string?> { ["First Name"] = "first_name", ["first name "] = "first_name" },
            aliases: new Dictionary<string, string?> { ["Phone"] = "_alias_phone", ["PHONE"] = "_alias_external_id" }));

        var errors = Assert.IsType<StartImportResult.Invalid>(result).Errors;
        Assert.Equal(["alias_mappings.PHONE", "field_mappings.first name "], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("\"First Name\" and \"first name \" both name the column \"First Name\"; map each column once.", Assert.Single(errors["field_mappings.first name "]));
        Assert.Contains("\"Phone\" and \"PHONE\"", Assert.Single(errors["alias_mappings.PHONE"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mapping_to_null_maps_nothing_and_is_not_listed_as_ignored()
    {
        var result = await _harness.StartAsync(Csv, ImportHost.ByEmail(
            fields: new Dictionary<string, string?> { ["First Name"] = null, ["Last Name"] = "last_name", ["Job Title"] = null },
            aliases: new Dictionary<string, string?> { ["Phone"] = null }));

        var started = Assert.IsType<StartImportResult.Started>(result);
        Assert.Empty(started.IgnoredMappings);
        Assert.Equal(new Dictionary<string, string> { ["Last Name"] = "last_name" }, started.Job.Settings.FieldMappings);
        Assert.Empty(started.Job.Settings.AliasMappings);
    }

    [Theory]
    [InlineData(" Email ")]
    [InlineData("email")]
    [InlineData("EMAIL")]
    public async Task Columns_match_exactly_after_trimming_else_ignoring_case(string column)
    {
        var result = await _harness.StartAsync(Csv, ImportHost.ByEmail(column: column));

        Assert.Equal("Email", Assert.IsType<StartImportResult.Started>(result).Job.Settings.PrimaryColumn);
    }

    [Fact]
    public async Task A_column_named_in_decomposed_unicode_matches_its_nfc_header()
    {
        var result = await _harness.StartAsync("Émail\na@x.com\n", ImportHost.ByEmail(column: "E\u0301mail"));

        Assert.Equal("Émail", Assert.IsType<StartImportResult.Started>(result).Job.Settings.PrimaryColumn);
    }

    [Fact]
    public void A_case_insensitive_match_counts_only_when_exactly_one_header_matches()
    {
        string[] headers = ["Name", "NAME ", "name"];

        Assert.Equal("name", StartRequestValidator.ResolveColumn(headers, "name"));
        Assert.Null(StartRequestValidator.ResolveColumn(headers, "nAmE"));
        Assert.Equal("Email", StartRequestValidator.ResolveColumn(["Email", "Name"], "EMAIL"));
    }

    [Fact]
    public async Task Unknown_columns_and_unknown_fields_are_ignored_and_listed_never_errors()
    {
        var result = await _harness.StartAsync(Csv, ImportHost.ByEmail(
            fields: new Dictionary<string, string?> { ["First Name"] = "first_name", ["Job Title"] = "title", ["Last Name"] = "shoe_size" },
            aliases: new Dictionary<string, string?> { ["Phone"] = "_alias_phone", ["Badge ID"] = "_alias_external_id" }));

        var started = Assert.IsType<StartImportResult.Started>(result);
        Assert.Equal(
            [
                new IgnoredMapping("Job Title", "title", IgnoredMapping.UnknownColumn),
                new IgnoredMapping("Last Name", "shoe_size", IgnoredMapping.UnknownField),
                new IgnoredMapping("Badge ID", "_alias_external_id", IgnoredMapping.UnknownColumn),
            ],
            started.IgnoredMappings);
        Assert.Equal(new Dictionary<string, string> { ["First Name"] = "first_name" }, started.Job.Settings.FieldMappings);
        Assert.Equal(new Dictionary<string, IdentifierKind> { ["Phone"] = IdentifierKind.Phone }, started.Job.Settings.AliasMappings);
    }

    [Fact]
    public async Task Profile_field_names_are_case_insensitive_and_stored_in_their_configured_spelling()
    {
        var result = await _harness.StartAsync(Csv, ImportHost.ByEmail(fields: new Dictionary<string, string?> { ["First Name"] = "FIRST_NAME" }));

        Assert.Equal("first_name", Assert.IsType<StartImportResult.Started>(result).Job.Settings.FieldMappings["First Name"]);
    }

    [Fact]
    public async Task A_started_job_is_queued_with_the_previews_row_count_and_owns_the_file()
    {
        var preview = await _harness.PreviewAsync(Csv);

        var started = Assert.IsType<StartImportResult.Started>(
            await _harness.Service.StartAsync(ImportHarness.Ou, ImportHost.ByEmail() with { FileId = preview.FileId }, CancellationToken.None));
        _harness.Time.Advance(TimeSpan.FromHours(3));
        await _harness.Storage.SweepAsync(_harness.Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(JobStatus.Queued, started.Job.Status);
        Assert.Equal(1, started.Job.TotalRows);
        Assert.Null(started.Job.StartedAt);
        Assert.Null(started.Job.CompletedAt);
        Assert.Matches("^job_[A-Za-z0-9_-]{22}$", started.Job.JobId);
        Assert.Equal(started.Job.JobId, (await _harness.Files.FindAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None))?.JobId);

        var job = await _harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(1, job.Counters.Created);
    }

    [Fact]
    public async Task The_file_is_deleted_when_the_job_ends()
    {
        var started = Assert.IsType<StartImportResult.Started>(await _harness.StartAsync(Csv, ImportHost.ByEmail()));

        await _harness.RunNextJobAsync();

        Assert.Null(await _harness.Files.OpenContentAsync(ImportHarness.Ou, started.Job.FileId, CancellationToken.None));
    }

    [Fact]
    public async Task An_ou_may_have_at_most_the_queued_job_quota()
    {
        using var harness = new ImportHarness(o => o.MaxQueuedJobsPerOu = 2);
        await harness.StartAsync(Csv, ImportHost.ByEmail());
        await harness.StartAsync(Csv, ImportHost.ByEmail());

        var error = await Assert.ThrowsAsync<QuotaExceededException>(() => harness.StartAsync(Csv, ImportHost.ByEmail()));
        Assert.True(error.RetryAfter > TimeSpan.Zero);

        Assert.IsType<StartImportResult.Started>(await harness.StartAsync(Csv, ImportHost.ByEmail(), ou: "ou-other"));
        await harness.RunNextJobAsync();
        Assert.IsType<StartImportResult.Started>(await harness.StartAsync(Csv, ImportHost.ByEmail()));
    }

    [Fact]
    public async Task Cancelling_a_queued_job_cancels_it_at_once_and_deletes_its_file()
    {
        var started = Assert.IsType<StartImportResult.Started>(await _harness.StartAsync(Csv, ImportHost.ByEmail()));

        var outcome = await _harness.Service.CancelJobAsync(ImportHarness.Ou, started.Job.JobId, CancellationToken.None);

        Assert.Equal(CancelStatus.Cancelled, outcome.Status);
        Assert.Equal(JobStatus.Cancelled, outcome.Job!.Status);
        Assert.NotNull(outcome.Job.CompletedAt);
        Assert.Null(await _harness.Files.OpenContentAsync(ImportHarness.Ou, started.Job.FileId, CancellationToken.None));
        Assert.Null(await _harness.Jobs.AcquireNextAsync("w", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Cancelling_or_deleting_another_ous_job_is_not_found()
    {
        var started = Assert.IsType<StartImportResult.Started>(await _harness.StartAsync(Csv, ImportHost.ByEmail()));

        Assert.Equal(CancelStatus.NotFound, (await _harness.Service.CancelJobAsync("ou-other", started.Job.JobId, CancellationToken.None)).Status);
        Assert.Equal(DeleteOutcome.NotFound, await _harness.Service.DeleteJobAsync("ou-other", started.Job.JobId, CancellationToken.None));
        Assert.Null(await _harness.Service.GetJobAsync("ou-other", started.Job.JobId, CancellationToken.None));
    }

    [Fact]
    public async Task A_file_that_expires_while_its_start_is_under_way_is_not_found_and_leaves_no_job()
    {
        // CONTRACT §3: 404 for an expired file_id, judged by the injected clock; the storage creates the job and takes
        // its file in one step, so the start needs no repair.
        using var harness = new ImportHarness(storage: b => b.UseStorage(
            p => new ExpiresBeforeTheJobIsCreated(new InMemoryStorage(p.GetRequiredService<TimeProvider>()), (FakeTimeProvider)p.GetRequiredService<TimeProvider>())));
        var preview = await harness.PreviewAsync(Csv);

        var result = await harness.Service.StartAsync(ImportHarness.Ou, ImportHost.ByEmail() with { FileId = preview.FileId }, CancellationToken.None);

        Assert.IsType<StartImportResult.FileNotFound>(result);
        Assert.Equal(0, (await harness.Service.ListJobsAsync(ImportHarness.Ou, 1, 10, CancellationToken.None)).Total);
        Assert.Null(await harness.Jobs.AcquireNextAsync("w", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    /// <summary>Moves the clock past every preview's expiry just before a job is created: a start at the last moment.</summary>
    private sealed class ExpiresBeforeTheJobIsCreated(LeadImportStorage inner, FakeTimeProvider time) : DelegatingStorage(inner)
    {
        public override ValueTask<JobCreation> CreateJobAsync(ImportJob job, int maxQueuedJobsPerOu, CancellationToken cancellationToken)
        {
            time.Advance(TimeSpan.FromDays(1));
            return base.CreateJobAsync(job, maxQueuedJobsPerOu, cancellationToken);
        }
    }
}
