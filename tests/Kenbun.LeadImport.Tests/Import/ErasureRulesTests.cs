using Kenbun.LeadImport.Erasure;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>Erasure through the service: forgetting a person by an identifier as a user writes it, deleting an OU, and jobs running meanwhile.</summary>
public class ErasureRulesTests
{
    private const string Csv =
        "Email,Name,Phone\n" +
        "ann@x.com,Ann,+1 415 555 0100\n" +
        "bob@x.com,Bob,+1 415 555 0100\n" +
        "not-an-email,Ann again,+1 (415) 555-0100\n" +
        "bad,Carl,\n";

    private static readonly StartImportRequest WithPhones = ImportHost.ByEmail(
        fields: new Dictionary<string, string?> { ["Name"] = "first_name" }, aliases: new Dictionary<string, string?> { ["Phone"] = "_alias_phone" });

    [Fact]
    public async Task Forgetting_normalises_the_value_and_erases_the_lead_and_every_row_that_holds_one_of_its_values()
    {
        using var harness = new ImportHarness();
        await harness.StartAsync(Csv, WithPhones);
        var job = await harness.RunNextJobAsync();
        var ann = await harness.Leads.FindAsync(ImportHarness.Ou, new IdentifierKey(IdentifierKind.Email, "ann@x.com"), CancellationToken.None);

        var result = await harness.Service.ForgetLeadAsync(ImportHarness.Ou, IdentifierKind.Email, "  ANN@x.com ", CancellationToken.None);

        var forgotten = Assert.IsType<ForgetLeadResult.Forgotten>(result);
        Assert.Equal(new ForgetLeadOutcome(ann!.LeadId, 2, 1, 1), forgotten.Outcome);
        Assert.Null(await harness.Leads.FindAsync(ImportHarness.Ou, new IdentifierKey(IdentifierKind.Phone, "+14155550100"), CancellationToken.None));
        Assert.NotNull(await harness.Leads.FindAsync(ImportHarness.Ou, new IdentifierKey(IdentifierKind.Email, "bob@x.com"), CancellationToken.None));
        var after = await harness.Service.GetJobAsync(ImportHarness.Ou, job.JobId, CancellationToken.None);
        Assert.Equal([4L], after!.Errors.Select(e => e.Row));
        Assert.Empty(after.Warnings);
        Assert.Equal((job.Counters, job.WarningCount), (after.Counters, after.WarningCount));
    }

    [Fact]
    public async Task A_phone_is_read_in_the_hosts_region_as_the_import_read_it()
    {
        using var harness = new ImportHarness(o => o.DefaultPhoneRegion = "US");
        await harness.StartAsync("Email,Phone\nann@x.com,(415) 555-0100\n", WithPhones);
        await harness.RunNextJobAsync();

        var result = await harness.Service.ForgetLeadAsync(ImportHarness.Ou, IdentifierKind.Phone, "415.555.0100", CancellationToken.None);

        Assert.Equal(2, Assert.IsType<ForgetLeadResult.Forgotten>(result).Outcome.Identifiers);
        Assert.Empty((await harness.Leads.ListAsync(ImportHarness.Ou, 1, 10, CancellationToken.None)).Items);
    }

    [Theory]
    [InlineData(IdentifierKind.Email, "not-an-email", "Invalid email format")]
    [InlineData(IdentifierKind.Phone, "12", "Invalid phone format")]
    [InlineData(IdentifierKind.Cookie, "   ", "Invalid cookie format")]
    public async Task A_value_not_valid_for_its_kind_is_a_result_and_nothing_is_erased(IdentifierKind kind, string value, string message)
    {
        using var harness = new ImportHarness();
        await harness.StartAsync(Csv, WithPhones);
        var job = await harness.RunNextJobAsync();

        var result = await harness.Service.ForgetLeadAsync(ImportHarness.Ou, kind, value, CancellationToken.None);

        Assert.Equal(new ForgetLeadResult.InvalidValue(message), result);
        Assert.Equal(2, (await harness.Service.GetJobAsync(ImportHarness.Ou, job.JobId, CancellationToken.None))!.Errors.Count);
    }

    [Fact]
    public async Task An_identifier_nothing_in_the_ou_holds_is_not_found()
    {
        using var harness = new ImportHarness();
        await harness.StartAsync(Csv, WithPhones, ou: "ou-other");
        await harness.RunNextJobAsync();

        var result = await harness.Service.ForgetLeadAsync(ImportHarness.Ou, IdentifierKind.Email, "ann@x.com", CancellationToken.None);

        Assert.IsType<ForgetLeadResult.NotFound>(result);
        Assert.NotNull(await harness.Leads.FindAsync("ou-other", new IdentifierKey(IdentifierKind.Email, "ann@x.com"), CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_an_ou_deletes_its_leads_jobs_and_files_and_no_other_ous()
    {
        using var harness = new ImportHarness();
        await harness.StartAsync(Csv, WithPhones);
        await harness.RunNextJobAsync();
        await harness.StartAsync(Csv, WithPhones, ou: "ou-other");
        await harness.RunNextJobAsync();
        await harness.PreviewAsync(Csv);

        var deleted = await harness.Service.DeleteOuAsync(ImportHarness.Ou, CancellationToken.None);

        Assert.Equal(new DeleteOuOutcome(Leads: 2, Identifiers: 3, Jobs: 1, Files: 1), deleted);
        Assert.Equal(0, (await harness.Service.ListJobsAsync(ImportHarness.Ou, 1, 10, CancellationToken.None)).Total);
        Assert.Equal(1, (await harness.Service.ListJobsAsync("ou-other", 1, 10, CancellationToken.None)).Total);
        Assert.Equal(2, (await harness.Leads.ListAsync("ou-other", 1, 10, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task A_job_running_when_its_ou_is_deleted_stops_without_failing_or_writing_again()
    {
        using var harness = new ImportHarness(
            o => o.BatchSize = 1,
            b => b.UseStorage(p => new ActsBeforeCommit(
                new InMemoryStorage(p.GetRequiredService<TimeProvider>()), commit: 2, storage => storage.DeleteOuAsync(ImportHarness.Ou, CancellationToken.None).AsTask())));
        var started = Assert.IsType<StartImportResult.Started>(await harness.StartAsync("Email\nann@x.com\nbob@x.com\ncarol@x.com\n", ImportHost.ByEmail()));

        var job = await harness.RunNextJobAsync();

        Assert.Null(job);
        Assert.Equal(0, (await harness.Leads.ListAsync(ImportHarness.Ou, 1, 10, CancellationToken.None)).Total);
        Assert.Equal(0, (await harness.Service.ListJobsAsync(ImportHarness.Ou, 1, 10, CancellationToken.None)).Total);
        Assert.Null(await harness.Files.OpenContentAsync(ImportHarness.Ou, started.Job.FileId, CancellationToken.None));
    }

    [Fact]
    public async Task A_job_running_when_a_lead_it_changes_is_forgotten_completes_without_bringing_the_lead_back()
    {
        using var harness = new ImportHarness(
            o => o.BatchSize = 1,
            b => b.UseStorage(p => new ActsBeforeCommit(
                new InMemoryStorage(p.GetRequiredService<TimeProvider>()),
                commit: 3,
                storage => storage.ForgetLeadAsync(ImportHarness.Ou, new IdentifierKey(IdentifierKind.Email, "ann@x.com"), CancellationToken.None).AsTask())));
        await harness.StartAsync("Email,Name\nann@x.com,Ann\nbob@x.com,Bob\nann@x.com,Annie\ncarol@x.com,Carol\n", ImportHost.ByEmail(fields: new Dictionary<string, string?> { ["Name"] = "first_name" }));

        var job = await harness.RunNextJobAsync();

        // Row 3 was decided as an update of Ann before she was forgotten, and committed after: it writes nothing.
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new JobCounters(3, 1, 0, 0), job.Counters);
        var leads = (await harness.Leads.ListAsync(ImportHarness.Ou, 1, 10, CancellationToken.None)).Items;
        Assert.Equal(["Bob", "Carol"], leads.Select(l => l.Fields["first_name"]));
    }

    /// <summary>Runs an action on the storage once, just before the given commit (counted from 1) goes through.</summary>
    private sealed class ActsBeforeCommit(LeadImportStorage inner, int commit, Func<LeadImportStorage, Task> act) : DelegatingStorage(inner)
    {
        private int _commits;

        public override async ValueTask<BatchCommitResult> CommitBatchAsync(
            string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _commits) == commit)
            {
                await act(Inner);
            }

            return await Inner.CommitBatchAsync(ou, jobId, changes, checkpoint, cancellationToken);
        }
    }
}
