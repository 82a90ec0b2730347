using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using static Kenbun.LeadImport.Testing.StoreTestData;

namespace Kenbun.LeadImport.Testing;

/// <summary>
/// What erasure must do on every <see cref="LeadImportStorage"/>: forgetting a person
/// (<see cref="LeadImportStorage.ForgetLeadAsync"/>) and deleting everything an OU has
/// (<see cref="LeadImportStorage.DeleteOuAsync"/>), each in that OU only.
/// </summary>
public abstract class ErasureTests : StorageTests
{
    // The jobs of StoreTestData read phones as GB numbers, so a cell "020 7946 0001" is Ann's phone.
    private static readonly IdentifierKey AnnsEmail = Email("ann@x.com");
    private static readonly IdentifierKey AnnsPhone = Phone("+442079460001");

    [Fact]
    public async Task Forgetting_a_lead_deletes_it_with_its_identifiers_and_the_same_person_in_another_ou_stays()
    {
        var ours = await StartAsync(Ou);
        var ann = NewLead(Fields(("email", "ann@x.com"), ("first_name", "Ann")), AnnsEmail, AnnsPhone);
        var bob = NewLead(Fields(("first_name", "Bob")), Email("bob@x.com"));
        await CommitAsync(ours, [ann, bob], created: 2);
        var theirs = await StartAsync(OtherOu);
        var theirAnn = NewLead(Fields(("first_name", "Ann")), AnnsEmail, AnnsPhone);
        await CommitAsync(theirs, [theirAnn], created: 1);

        var outcome = await Storage.ForgetLeadAsync(Ou, AnnsPhone, None);
        var again = await Storage.ForgetLeadAsync(Ou, AnnsEmail, None);

        Assert.Equal(new ForgetLeadOutcome(ann.LeadId, 2, 0, 0), outcome);
        Assert.True(outcome.LeadFound);
        Assert.Equal(new ForgetLeadOutcome(null, 0, 0, 0), again);
        Assert.Null(await Leads.FindAsync(Ou, AnnsEmail, None));
        Assert.Null(await Leads.FindAsync(Ou, AnnsPhone, None));
        var owners = new Dictionary<IdentifierKey, string>();
        await Leads.LookupAsync(Ou, [AnnsEmail, AnnsPhone, Email("bob@x.com")], owners, None);
        Assert.Equal(new Dictionary<IdentifierKey, string> { [Email("bob@x.com")] = bob.LeadId }, owners);
        Assert.Equal([bob.LeadId], (await Leads.ListAsync(Ou, 1, 10, None)).Items.Select(l => l.LeadId));
        Assert.Equal([bob.LeadId], (await Leads.ReadFeedAsync(Ou, default, 10, None)).Leads.Select(l => l.LeadId));
        var kept = await Leads.FindAsync(OtherOu, AnnsEmail, None);
        Assert.Equal((theirAnn.LeadId, "Ann"), (kept?.LeadId, kept?.Fields["first_name"]));
        Assert.Equal(theirAnn.LeadId, (await Leads.FindAsync(OtherOu, AnnsPhone, None))?.LeadId);
    }

    [Fact]
    public async Task Forgetting_deletes_every_error_and_warning_that_holds_one_of_the_leads_values_in_every_job_of_the_ou()
    {
        var theirs = await StartAsync(OtherOu);
        await CommitAsync(
            theirs,
            [NewLead(null, AnnsEmail, AnnsPhone)],
            created: 1,
            errors: [new(1, RowErrors.MalformedRow, "surplus", ["ann@x.com", "Ann", "", "surplus"])],
            warnings: [new(2, "Alias belongs to another lead", "+44 20 7946 0001")]);
        var finished = await StartAsync(Ou);
        var ann = NewLead(null, AnnsEmail, AnnsPhone);
        await CommitAsync(
            finished,
            [ann],
            created: 1,
            errors:
            [
                new(1, RowErrors.MalformedRow, "surplus", [" Ann@X.com ", "Ann", "", "surplus"]) { Detail = "4 cells; the header has 3" },
                Error(2),
                new(3, RowErrors.ValueTooLong, "Carol Carolson", ["carol@x.com", "Carol Carolson", "020 7946 0001"]),
            ],
            warnings: [new(4, "Alias belongs to another lead", "+44 20 7946 0001"), Warning(5)]);
        Assert.True(await Storage.FinishJobAsync(finished.Lease, JobStatus.Completed, null, None));
        var running = await StartAsync(Ou);
        await CommitAsync(running, [], errors: [new(1, RowErrors.MissingRequiredIdentifier, "", ["", "Ann", "+44 (0)20 7946 0001"])]);

        var outcome = await Storage.ForgetLeadAsync(Ou, AnnsEmail, None);

        Assert.Equal(new ForgetLeadOutcome(ann.LeadId, 2, 3, 1), outcome);
        var job = await Jobs.GetAsync(Ou, finished.JobId, 10, None);
        Assert.Equal([2L], job!.Errors.Select(e => e.Row));
        Assert.Equal([Warning(5)], job.Warnings);
        Assert.Equal((new JobCounters(1, 0, 3, 0), 2L), (job.Counters, job.WarningCount));
        Assert.Equal([2L], (await Jobs.ListErrorsAsync(Ou, finished.JobId, 1, 10, None))!.Items.Select(e => e.Row));
        Assert.Equal(1, (await Jobs.ListErrorsAsync(Ou, finished.JobId, 1, 10, None))!.Total);
        Assert.Equal([2L], (await Jobs.ListErrorsAfterAsync(Ou, finished.JobId, 0, 10, None))!.Select(e => e.Row));
        Assert.Equal(0, (await Jobs.ListErrorsAsync(Ou, running.JobId, 1, 10, None))!.Total);
        var theirJob = await Jobs.GetAsync(OtherOu, theirs.JobId, 10, None);
        Assert.Equal(["ann@x.com", "Ann", "", "surplus"], Assert.Single(theirJob!.Errors).Cells);
        Assert.Single(theirJob.Warnings);
    }

    [Fact]
    public async Task Forgetting_an_identifier_nothing_in_the_ou_holds_is_not_found_and_changes_nothing()
    {
        var theirs = await StartAsync(OtherOu);
        await CommitAsync(theirs, [NewLead(null, Email("olly@x.com"))], created: 1, errors: [new(1, RowErrors.ValueTooLong, "x", ["olly@x.com", "x"])]);
        var ours = await StartAsync(Ou);
        var ann = NewLead(null, AnnsEmail);
        await CommitAsync(ours, [ann], created: 1, errors: [Error(2)], warnings: [Warning(3)]);

        ForgetLeadOutcome[] outcomes =
        [
            await Storage.ForgetLeadAsync(Ou, Email("nobody@x.com"), None),
            await Storage.ForgetLeadAsync(Ou, Email("olly@x.com"), None),
            await Storage.ForgetLeadAsync(Ou, new IdentifierKey(IdentifierKind.ExternalId, "ANN@X.COM"), None),
        ];

        Assert.All(outcomes, outcome => Assert.Equal(new ForgetLeadOutcome(null, 0, 0, 0), outcome));
        Assert.All(outcomes, outcome => Assert.False(outcome.FoundAnything));
        Assert.Equal(ann.LeadId, (await Leads.FindAsync(Ou, AnnsEmail, None))?.LeadId);
        var job = await Jobs.GetAsync(Ou, ours.JobId, 10, None);
        Assert.Equal([2L], job!.Errors.Select(e => e.Row));
        Assert.Equal([3L], job.Warnings.Select(w => w.Row));
        Assert.NotNull(await Leads.FindAsync(OtherOu, Email("olly@x.com"), None));
        Assert.Single((await Jobs.GetAsync(OtherOu, theirs.JobId, 10, None))!.Errors);
    }

    [Fact]
    public async Task Forgetting_an_identifier_only_failed_rows_hold_deletes_those_rows()
    {
        var job = await StartAsync(Ou);
        await CommitAsync(job, [], errors: [new(1, RowErrors.ValueTooLong, "Dora Doe", ["dora@x.com", "Dora Doe"]), Error(2)]);

        var outcome = await Storage.ForgetLeadAsync(Ou, Email("dora@x.com"), None);

        Assert.Equal(new ForgetLeadOutcome(null, 0, 1, 0), outcome);
        Assert.True(outcome.FoundAnything);
        Assert.Equal([2L], (await Jobs.ListErrorsAfterAsync(Ou, job.JobId, 0, 10, None))!.Select(e => e.Row));
    }

    [Fact]
    public async Task A_batch_decided_before_a_lead_was_forgotten_commits_the_rest_without_bringing_the_lead_back()
    {
        var job = await StartAsync(Ou);
        var ann = NewLead(Fields(("first_name", "Ann")), AnnsEmail);
        await CommitAsync(job, [ann], created: 1);
        await Storage.ForgetLeadAsync(Ou, AnnsEmail, None);
        var other = await StartAsync(Ou);
        var pat = NewLead(null, AnnsPhone);
        await CommitAsync(other, [pat], created: 1);
        var bob = NewLead(null, Email("bob@x.com"));

        // Decided on a look-up from before: Ann is updated and takes a phone that Pat has taken since.
        var result = await CommitAsync(job, [Update(ann.LeadId, Fields(("city", "Oslo")), AnnsPhone, Email("ann2@x.com")), bob], created: 1, updated: 1);

        Assert.Equal(BatchCommitStatus.Committed, result.Status);
        Assert.Empty(result.Conflicts);
        Assert.Null(await Leads.FindAsync(Ou, AnnsEmail, None));
        var owners = new Dictionary<IdentifierKey, string>();
        await Leads.LookupAsync(Ou, [AnnsEmail, Email("ann2@x.com")], owners, None);
        Assert.Empty(owners);
        Assert.Equal(pat.LeadId, (await Leads.FindAsync(Ou, AnnsPhone, None))?.LeadId);
        Assert.Equal([pat.LeadId, bob.LeadId], (await Leads.ListAsync(Ou, 1, 10, None)).Items.Select(l => l.LeadId));
        var anew = NewLead(null, AnnsEmail, Email("ann2@x.com"));
        Assert.Equal(BatchCommitStatus.Committed, (await CommitAsync(job, [anew], created: 1)).Status);
        Assert.Equal(anew.LeadId, (await Leads.FindAsync(Ou, Email("ann2@x.com"), None))?.LeadId);
    }

    [Fact]
    public async Task The_feed_gives_every_lead_once_after_one_was_forgotten()
    {
        var job = await StartAsync(Ou);
        var (ann, bob, cy) = (NewLead(null, AnnsEmail), NewLead(null, Email("bob@x.com")), NewLead(null, Email("cy@x.com")));
        await CommitAsync(job, [ann, bob], created: 2);
        await Storage.ForgetLeadAsync(Ou, AnnsEmail, None);
        await CommitAsync(job, [cy], created: 1);
        await CommitAsync(job, [Update(bob.LeadId, Fields(("city", "Oslo"))), Update(cy.LeadId, Fields(("city", "Rome")))], updated: 2);

        var read = new List<string>();
        var position = default(LeadFeedPosition);
        for (var page = await Leads.ReadFeedAsync(Ou, position, 1, None); page.Leads.Count > 0; page = await Leads.ReadFeedAsync(Ou, position, 1, None))
        {
            Assert.InRange(read.Count, 0, 10);
            read.AddRange(page.Leads.Select(l => l.LeadId));
            position = page.Next;
        }

        Assert.Equal([bob.LeadId, cy.LeadId], read);
    }

    [Fact]
    public async Task Deleting_an_ou_deletes_everything_it_has_and_nothing_of_another_ou_and_twice_is_fine()
    {
        var theirs = await StartAsync(OtherOu);
        var theirAnn = NewLead(null, AnnsEmail, AnnsPhone);
        await CommitAsync(theirs, [theirAnn], created: 1, errors: [Error(2)], warnings: [Warning(3)]);
        var theirPreview = await PublishAsync(await WriteAsync(OtherOu), OtherOu);
        var finished = await StartAsync(Ou);
        await CommitAsync(finished, [NewLead(null, AnnsEmail, AnnsPhone), NewLead(null, Email("bob@x.com"))], created: 2, errors: [Error(3)], warnings: [Warning(4)]);
        Assert.True(await Storage.FinishJobAsync(finished.Lease, JobStatus.Completed, null, None));
        var queued = NewJob(Ou, Time.GetUtcNow());
        Assert.Equal(JobCreationStatus.Created, (await CreateJobAsync(queued)).Status);
        var preview = await PublishAsync(await WriteAsync());
        var upload = await WriteAsync();

        var deleted = await Storage.DeleteOuAsync(Ou, None);
        var again = await Storage.DeleteOuAsync(Ou, None);

        Assert.Equal(new DeleteOuOutcome(Leads: 2, Identifiers: 3, Jobs: 2, Files: 3), deleted);
        Assert.Equal(default(DeleteOuOutcome), again);
        Assert.Equal(0, (await Leads.ListAsync(Ou, 1, 10, None)).Total);
        Assert.Null(await Leads.FindAsync(Ou, AnnsPhone, None));
        Assert.Equal(0, (await Jobs.ListAsync(Ou, 1, 10, None)).Total);
        Assert.Null(await Jobs.ListErrorsAsync(Ou, finished.JobId, 1, 10, None));
        Assert.Null(await Jobs.FindByFileAsync(Ou, queued.FileId, None));
        Assert.Null(await Jobs.AcquireNextAsync("w2", LeaseDuration, None));
        Assert.Null(await Files.FindAsync(Ou, preview.FileId, None));
        Assert.Null(await Files.OpenContentAsync(Ou, upload, None));
        Assert.Null(await Files.OpenContentAsync(Ou, queued.FileId, None));
        Assert.Equal(0, (await Files.GetPreviewUsageAsync(Ou, None)).Count);
        Assert.Equal(theirAnn.LeadId, (await Leads.FindAsync(OtherOu, AnnsPhone, None))?.LeadId);
        var theirJob = await Jobs.GetAsync(OtherOu, theirs.JobId, 10, None);
        Assert.Equal((1, 1), (theirJob!.Errors.Count, theirJob.Warnings.Count));
        Assert.NotNull(await ReadContentAsync(OtherOu, theirs.Lease.Job.FileId));
        Assert.NotNull(await Files.FindAsync(OtherOu, theirPreview.FileId, None));
    }

    [Fact]
    public async Task A_job_running_when_its_ou_is_deleted_loses_its_lease_and_can_write_nothing()
    {
        var job = await StartAsync(Ou);
        await CommitAsync(job, [NewLead(null, AnnsEmail)], created: 1);

        await Storage.DeleteOuAsync(Ou, None);

        Assert.Equal(BatchCommitStatus.Stale, (await CommitAsync(job, [NewLead(null, Email("bob@x.com"))], created: 1, errors: [Error(2)])).Status);
        Assert.False((await Jobs.RenewLeaseAsync(job.Lease, LeaseDuration, None)).Held);
        Assert.False(await Storage.FinishJobAsync(job.Lease, JobStatus.Failed, "The job's file could not be read.", None));
        await Jobs.ReleaseLeaseAsync(job.Lease, None);
        Time.Advance(LeaseDuration * 2);
        Assert.Null(await Jobs.AcquireNextAsync("w2", LeaseDuration, None));
        Assert.Null(await Jobs.GetAsync(Ou, job.JobId, 10, None));
        Assert.Equal(0, (await Leads.ListAsync(Ou, 1, 10, None)).Total);
    }

    [Fact]
    public async Task An_ou_that_imports_again_after_its_deletion_continues_its_feed_after_a_saved_position()
    {
        var first = await StartAsync(Ou);
        await CommitAsync(first, [NewLead(null, AnnsEmail)], created: 1);
        await CommitAsync(first, [NewLead(null, Email("bob@x.com"))], created: 1);
        var saved = (await Leads.ReadFeedAsync(Ou, default, 10, None)).Next;
        await Storage.DeleteOuAsync(Ou, None);
        var again = await StartAsync(Ou);
        var cy = NewLead(null, Email("cy@x.com"));

        await CommitAsync(again, [cy], created: 1);

        Assert.Equal([cy.LeadId], (await Leads.ReadFeedAsync(Ou, saved, 10, None)).Leads.Select(l => l.LeadId));
    }
}
