using Kenbun.LeadImport.Engine;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>CONTRACT §5, dedup and field rules, each through a whole import.</summary>
public class DedupRulesTests : IDisposable
{
    private static readonly Dictionary<string, string?> NameAndCompany = new() { ["Name"] = "first_name", ["Company"] = "company" };
    private static readonly Dictionary<string, string?> PhoneAlias = new() { ["Phone"] = "_alias_phone" };

    private readonly ImportHarness _harness = new(o => o.MaxCellLength = 20);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task No_match_creates_a_lead_owning_the_identifier_and_a_match_updates_it()
    {
        var first = await ImportAsync("Email,Name\nann@x.com,Ann\n", ImportHost.ByEmail(fields: NameAndCompany));
        var second = await ImportAsync("Email,Name,Company\nANN@x.com,Annie,Acme\n", ImportHost.ByEmail(fields: NameAndCompany));

        Assert.Equal(new JobCounters(1, 0, 0, 0), first.Counters);
        Assert.Equal(new JobCounters(0, 1, 0, 0), second.Counters);
        var lead = await FindAsync(IdentifierKind.Email, "ann@x.com");
        Assert.Equal(new Dictionary<string, string> { ["first_name"] = "Annie", ["company"] = "Acme" }, lead.Fields);
        Assert.Equal(first.JobId, lead.CreatedByJobId);
        Assert.Equal(second.JobId, lead.UpdatedByJobId);
    }

    [Fact]
    public async Task The_same_email_in_two_ous_is_two_leads()
    {
        await ImportAsync("Email\nann@x.com\n", ImportHost.ByEmail());
        await _harness.StartAsync("Email\nann@x.com\n", ImportHost.ByEmail(), ou: "ou-other");
        var other = await _harness.RunNextJobAsync();

        Assert.Equal(1, other.Counters.Created);
        var here = await FindAsync(IdentifierKind.Email, "ann@x.com");
        var there = await _harness.Leads.FindAsync("ou-other", new(IdentifierKind.Email, "ann@x.com"), CancellationToken.None);
        Assert.NotEqual(here.LeadId, there!.LeadId);
    }

    [Fact]
    public async Task A_later_row_with_the_same_identifier_updates_the_lead_the_earlier_row_created()
    {
        var job = await ImportAsync("Email,Name,Company\nann@x.com,Ann,\n Ann@X.com ,,Acme\nann@x.com,Annie,\n", ImportHost.ByEmail(fields: NameAndCompany));

        Assert.Equal(new JobCounters(1, 2, 0, 0), job.Counters);
        Assert.Equal(new Dictionary<string, string> { ["first_name"] = "Annie", ["company"] = "Acme" }, (await FindAsync(IdentifierKind.Email, "ann@x.com")).Fields);
    }

    [Fact]
    public async Task Empty_and_whitespace_cells_never_overwrite()
    {
        await ImportAsync("Email,Name,Company\nann@x.com,Ann,Acme\n", ImportHost.ByEmail(fields: NameAndCompany));
        await ImportAsync("Email,Name,Company\nann@x.com,,   \n", ImportHost.ByEmail(fields: NameAndCompany));

        Assert.Equal(new Dictionary<string, string> { ["first_name"] = "Ann", ["company"] = "Acme" }, (await FindAsync(IdentifierKind.Email, "ann@x.com")).Fields);
    }

    [Fact]
    public async Task Values_are_trimmed_and_kept_as_strings_unconverted()
    {
        await ImportAsync("Email,Name,Company\nann@x.com,  007 ,\" 1.50 \"\n", ImportHost.ByEmail(fields: NameAndCompany));

        Assert.Equal(new Dictionary<string, string> { ["first_name"] = "007", ["company"] = "1.50" }, (await FindAsync(IdentifierKind.Email, "ann@x.com")).Fields);
    }

    [Theory]
    [InlineData("'=SUM(A1)", "=SUM(A1)")]
    [InlineData("'+1 555", "+1 555")]
    [InlineData("'-5", "-5")]
    [InlineData("'@handle", "@handle")]
    [InlineData("'plain", "'plain")]
    [InlineData("'", "'")]
    public async Task A_quote_before_a_formula_character_is_removed(string cell, string stored)
    {
        await ImportAsync($"Email,Name\nann@x.com,{cell}\n", ImportHost.ByEmail(fields: NameAndCompany));

        Assert.Equal(stored, (await FindAsync(IdentifierKind.Email, "ann@x.com")).Fields["first_name"]);
    }

    [Fact]
    public async Task Aliases_are_added_as_a_set_and_never_replaced()
    {
        await ImportAsync("Email,Phone\njane@example.com,555-0200-00\n", ImportHost.ByEmail(aliases: PhoneAlias));
        var job = await ImportAsync("Email,Phone\njane@example.com,555-0100-00\njane@example.com,(555) 0100 00\n", ImportHost.ByEmail(aliases: PhoneAlias));

        Assert.Empty(job.Warnings);
        var lead = await FindAsync(IdentifierKind.Email, "jane@example.com");
        Assert.Equal(
            [new(IdentifierKind.Email, "jane@example.com"), new(IdentifierKind.Phone, "555020000"), new(IdentifierKind.Phone, "555010000")],
            lead.Identifiers);
    }

    [Fact]
    public async Task An_alias_owned_by_another_lead_stays_with_it_and_the_row_succeeds_with_a_warning()
    {
        var job = await ImportAsync("Email,Phone\nann@x.com,+1 555 010 0000\nbob@x.com,+1-555-010-0000\n", ImportHost.ByEmail(aliases: PhoneAlias));

        Assert.Equal(new JobCounters(2, 0, 0, 0), job.Counters);
        Assert.Equal([new RowWarning(2, BatchDecider.AliasOwnedByAnotherLead, "+15550100000")], job.Warnings);
        Assert.Equal(1, job.WarningCount);
        Assert.Equal((await FindAsync(IdentifierKind.Email, "ann@x.com")).LeadId, (await FindAsync(IdentifierKind.Phone, "+15550100000")).LeadId);
        Assert.Single((await FindAsync(IdentifierKind.Email, "bob@x.com")).Identifiers);
    }

    [Fact]
    public async Task An_invalid_alias_is_skipped_with_a_warning_and_the_row_succeeds()
    {
        var job = await ImportAsync("Email,Phone\nann@x.com,call me\n", ImportHost.ByEmail(aliases: PhoneAlias));

        Assert.Equal(new JobCounters(1, 0, 0, 0), job.Counters);
        Assert.Equal([new RowWarning(1, "Invalid phone format", "call me")], job.Warnings);
        Assert.Single((await FindAsync(IdentifierKind.Email, "ann@x.com")).Identifiers);
    }

    [Fact]
    public async Task A_row_fails_with_the_first_error_in_the_contracts_order()
    {
        var tooLong = new string('x', 21);
        var csv = "Email,Name,Notes\n" +
                  $"not-an-email,{tooLong},,extra\n" +          // malformed beats everything
                  $",{tooLong}\n" +                             // missing identifier beats too long
                  $"not-an-email,{tooLong}\n" +                 // too long beats invalid format
                  "not-an-email,Ann\n" +                        // invalid format
                  $"ann@x.com,Ann,{tooLong}\n";                 // an unmapped long cell is not checked
        var job = await ImportAsync(csv, ImportHost.ByEmail(fields: NameAndCompany));

        Assert.Equal(
            [
                (1L, RowErrors.MalformedRow, "extra"),
                (2L, RowErrors.MissingRequiredIdentifier, ""),
                (3L, RowErrors.ValueTooLong, tooLong),
                (4L, "Invalid email format", "not-an-email"),
            ],
            job.Errors.Select(e => (e.Row, e.Error, e.Value)));
        Assert.Equal(new JobCounters(1, 0, 4, 0), job.Counters);
    }

    [Fact]
    public async Task Extra_empty_cells_from_a_trailing_delimiter_are_ignored_and_short_rows_read_as_empty()
    {
        var job = await ImportAsync("Email,Name,Company\nann@x.com,Ann,Acme,,\nbob@x.com\n", ImportHost.ByEmail(fields: NameAndCompany));

        Assert.Equal(new JobCounters(2, 0, 0, 0), job.Counters);
        Assert.Empty((await FindAsync(IdentifierKind.Email, "bob@x.com")).Fields);
    }

    [Fact]
    public async Task Cells_under_a_trailing_delimiter_of_the_header_line_are_beyond_the_header()
    {
        // CONTRACT §2 and §5: blank cells at the end of the header line are dropped; under them, an empty cell is ignored
        // and a non-empty one makes the row a Malformed row.
        var job = await ImportAsync(
            "Name;Email;Company;\nAnn;ann@x.com;Acme;\nBob;bob@x.com;;extra\nCid;cid@x.com;;\n",
            ImportHost.ByEmail(fields: NameAndCompany));

        Assert.Equal(new JobCounters(2, 0, 1, 0), job.Counters);
        Assert.Equal([(2L, RowErrors.MalformedRow, "extra")], job.Errors.Select(e => (e.Row, e.Error, e.Value)));
        Assert.Equal(new Dictionary<string, string> { ["first_name"] = "Ann", ["company"] = "Acme" }, (await FindAsync(IdentifierKind.Email, "ann@x.com")).Fields);
        Assert.Equal(new Dictionary<string, string> { ["first_name"] = "Cid" }, (await FindAsync(IdentifierKind.Email, "cid@x.com")).Fields);
    }

    [Fact]
    public async Task An_error_value_is_cut_to_256_characters_and_keeps_the_rows_cells()
    {
        using var harness = new ImportHarness();
        var email = new string('a', 300);
        await harness.StartAsync($"Email,Name\n{email},Ann\n", ImportHost.ByEmail());

        var job = await harness.RunNextJobAsync();

        var error = Assert.Single(job.Errors);
        Assert.Equal(email[..256], error.Value);
        Assert.Equal([email, "Ann"], error.Cells);
    }

    [Fact]
    public async Task Identifiers_are_compared_in_their_normalised_form()
    {
        var job = await ImportAsync("Phone\n+1 (555) 010-0000\n+1-555-010-0000\n+1.555.010.0000\n", new StartImportRequest
        {
            PrimaryIdentifier = new PrimaryIdentifierRequest("Phone", "phone"),
        });

        Assert.Equal(new JobCounters(1, 2, 0, 0), job.Counters);
        Assert.NotNull(await FindAsync(IdentifierKind.Phone, "+15550100000"));
    }

    [Fact]
    public async Task External_ids_differing_in_case_are_different_leads()
    {
        var job = await ImportAsync("Id\nABC-1\nabc-1\n", new StartImportRequest { PrimaryIdentifier = new PrimaryIdentifierRequest("Id", "external_id") });

        Assert.Equal(new JobCounters(2, 0, 0, 0), job.Counters);
    }

    [Fact]
    public async Task A_dry_run_counts_exactly_as_an_import_and_writes_no_lead()
    {
        const string csv = "Email,Phone\nann@x.com,+1 555 010 0000\nann@x.com,\nbob@x.com,+1 555 010 0000\nbad,\n";
        var dry = await ImportAsync(csv, ImportHost.ByEmail(aliases: PhoneAlias, dryRun: true));

        Assert.Empty((await _harness.Leads.ListAsync(ImportHarness.Ou, 1, 100, CancellationToken.None)).Items);

        var real = await ImportAsync(csv, ImportHost.ByEmail(aliases: PhoneAlias));
        Assert.Equal(real.Counters, dry.Counters);
        Assert.Equal(new JobCounters(2, 1, 1, 0), dry.Counters);
        Assert.Equal(real.Errors.Select(e => (e.Row, e.Error, e.Value)), dry.Errors.Select(e => (e.Row, e.Error, e.Value)));
        Assert.Equal(real.Warnings, dry.Warnings);
    }

    [Fact]
    public async Task Create_only_skips_rows_whose_lead_exists()
    {
        await ImportAsync("Email,Name\nann@x.com,Ann\n", ImportHost.ByEmail(fields: NameAndCompany));

        var job = await ImportAsync("Email,Name\nann@x.com,Changed\nbob@x.com,Bob\nbob@x.com,Bobby\n", ImportHost.ByEmail(fields: NameAndCompany, mode: "create_only"));

        Assert.Equal(new JobCounters(1, 0, 0, 2), job.Counters);
        Assert.Equal("Ann", (await FindAsync(IdentifierKind.Email, "ann@x.com")).Fields["first_name"]);
        Assert.Equal("Bob", (await FindAsync(IdentifierKind.Email, "bob@x.com")).Fields["first_name"]);
    }

    [Fact]
    public async Task Update_only_skips_rows_without_a_lead()
    {
        await ImportAsync("Email,Name\nann@x.com,Ann\n", ImportHost.ByEmail(fields: NameAndCompany));

        var job = await ImportAsync("Email,Name,Phone\nann@x.com,Annie,\nbob@x.com,Bob,+1 555 010 0000\n", ImportHost.ByEmail(fields: NameAndCompany, aliases: PhoneAlias, mode: "update_only"));

        Assert.Equal(new JobCounters(0, 1, 0, 1), job.Counters);
        Assert.Null(await _harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Phone, "+15550100000"), CancellationToken.None));
    }

    [Fact]
    public async Task Two_jobs_of_one_ou_running_at_once_never_create_two_leads_with_one_identifier()
    {
        await using var host = await ImportHost.StartAsync(o =>
        {
            o.MaxConcurrentJobs = 2;
            o.BatchSize = 7;
        });
        var rows = string.Join("\n", Enumerable.Range(0, 600).Select(i => $"user{i % 300}@x.com,+1 555 {i % 200:000} 0000"));
        var csv = "Email,Phone\n" + rows;
        var first = await host.Service.StartAsync(ImportHost.Ou, ImportHost.ByEmail(aliases: PhoneAlias) with { FileId = await host.PreviewAsync(csv) }, CancellationToken.None);
        var second = await host.Service.StartAsync(ImportHost.Ou, ImportHost.ByEmail(aliases: PhoneAlias) with { FileId = await host.PreviewAsync(csv) }, CancellationToken.None);

        var a = await host.WaitForEndAsync(((StartImportResult.Started)first).Job.JobId);
        var b = await host.WaitForEndAsync(((StartImportResult.Started)second).Job.JobId);

        var leads = await host.AllLeadsAsync();
        Assert.Equal(300, leads.Count);
        Assert.Equal(300, a.Counters.Created + b.Counters.Created);
        Assert.Equal(1200, a.Counters.Processed + b.Counters.Processed);
        var identifiers = leads.SelectMany(l => l.Identifiers).ToList();
        Assert.Equal(identifiers.Count, identifiers.Distinct().Count());
        Assert.Equal(500, identifiers.Count);
    }

    private async Task<ImportJob> ImportAsync(string csv, StartImportRequest request)
    {
        Assert.IsType<StartImportResult.Started>(await _harness.StartAsync(csv, request));
        var job = await _harness.RunNextJobAsync();
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(job.TotalRows, job.Counters.Processed);
        return job;
    }

    private async Task<Leads.Lead> FindAsync(IdentifierKind kind, string value) =>
        await _harness.Leads.FindAsync(ImportHarness.Ou, new(kind, value), CancellationToken.None) ?? throw new Xunit.Sdk.XunitException($"No lead owns {kind} {value}.");
}
