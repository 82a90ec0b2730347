using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using static Kenbun.LeadImport.Testing.StoreTestData;

namespace Kenbun.LeadImport.Testing;

/// <summary>
/// What the leads of every <see cref="LeadImportStorage"/> must do: look-ups, and batches committed with their job's
/// checkpoint under the lease (<see cref="LeadImportStorage.CommitBatchAsync"/>).
/// </summary>
public abstract class LeadStoreTests : StorageTests
{
    [Fact]
    public async Task A_committed_batch_creates_leads_found_by_each_of_their_identifiers()
    {
        var job = await StartAsync(Ou);
        var ann = NewLead(Fields(("email", "ann@x.com"), ("first_name", "Ann")), Email("ann@x.com"), Phone("+15550001"));
        var bob = NewLead(Fields(("first_name", "Bob")), Email("bob@x.com"));

        var result = await CommitAsync(job, [ann, bob], created: 2);

        Assert.Equal(BatchCommitStatus.Committed, result.Status);
        Assert.Empty(result.Conflicts);
        Assert.False(result.CancelRequested);
        var found = await Leads.FindAsync(Ou, Email("ann@x.com"), None);
        Assert.NotNull(found);
        Assert.Equal(ann.LeadId, found.LeadId);
        Assert.Equal(Ou, found.Ou);
        AssertFields(found, ("email", "ann@x.com"), ("first_name", "Ann"));
        Assert.Equal(Email("ann@x.com"), found.Identifiers[0]);
        AssertIdentifiers(found, Email("ann@x.com"), Phone("+15550001"));
        Assert.Equal(job.JobId, found.CreatedByJobId);
        Assert.Equal(job.JobId, found.UpdatedByJobId);
        Assert.Equal(ann.LeadId, (await Leads.FindAsync(Ou, Phone("+15550001"), None))?.LeadId);
        Assert.Equal(bob.LeadId, (await Leads.FindAsync(Ou, Email("bob@x.com"), None))?.LeadId);
        Assert.Null(await Leads.FindAsync(Ou, Email("carol@x.com"), None));
        Assert.Null(await Leads.FindAsync(OtherOu, Email("ann@x.com"), None));
    }

    [Fact]
    public async Task An_update_sets_its_fields_keeps_the_others_and_adds_identifiers_as_a_set()
    {
        var first = await StartAsync(Ou);
        var lead = NewLead(Fields(("email", "ann@x.com"), ("first_name", "Ann"), ("company", "Acme")), Email("ann@x.com"));
        await CommitAsync(first, [lead], created: 1);
        var second = await StartAsync(Ou);

        var result = await CommitAsync(
            second, [Update(lead.LeadId, Fields(("first_name", "Anne"), ("city", "Oslo")), Email("ann@x.com"), Phone("+15550001"))], updated: 1);

        Assert.Equal(BatchCommitStatus.Committed, result.Status);
        var found = await Leads.FindAsync(Ou, Phone("+15550001"), None);
        Assert.NotNull(found);
        Assert.Equal(lead.LeadId, found.LeadId);
        AssertFields(found, ("email", "ann@x.com"), ("first_name", "Anne"), ("company", "Acme"), ("city", "Oslo"));
        AssertIdentifiers(found, Email("ann@x.com"), Phone("+15550001"));
        Assert.Equal(first.JobId, found.CreatedByJobId);
        Assert.Equal(second.JobId, found.UpdatedByJobId);
        Assert.Equal(1, (await Leads.ListAsync(Ou, 1, 10, None)).Total);
    }

    [Fact]
    public async Task Lookup_reports_the_owners_of_owned_identifiers_in_one_call()
    {
        var job = await StartAsync(Ou);
        var ann = NewLead(null, Email("ann@x.com"), Phone("+15550001"));
        var bob = NewLead(null, Email("bob@x.com"));
        await CommitAsync(job, [ann, bob], created: 2);
        var owners = new Dictionary<IdentifierKey, string>();

        await Leads.LookupAsync(
            Ou,
            [Email("ann@x.com"), Email("bob@x.com"), Phone("+15550001"), Email("carol@x.com"), new IdentifierKey(IdentifierKind.Cookie, "ann@x.com")],
            owners,
            None);

        Assert.Equal(
            new Dictionary<IdentifierKey, string>
            {
                [Email("ann@x.com")] = ann.LeadId,
                [Phone("+15550001")] = ann.LeadId,
                [Email("bob@x.com")] = bob.LeadId,
            },
            owners);
        var elsewhere = new Dictionary<IdentifierKey, string>();
        await Leads.LookupAsync(OtherOu, [Email("ann@x.com"), Email("bob@x.com")], elsewhere, None);
        Assert.Empty(elsewhere);
    }

    [Fact]
    public async Task Identifiers_compare_by_kind_and_exact_value()
    {
        var job = await StartAsync(Ou);
        var upper = NewLead(null, new IdentifierKey(IdentifierKind.ExternalId, "CRM-42"));
        var lower = NewLead(null, new IdentifierKey(IdentifierKind.ExternalId, "crm-42"));
        var cookie = NewLead(null, new IdentifierKey(IdentifierKind.Cookie, "CRM-42"));
        var spaced = NewLead(null, new IdentifierKey(IdentifierKind.ExternalId, "CRM-42 "));

        var result = await CommitAsync(job, [upper, lower, cookie, spaced], created: 4);

        Assert.Equal(BatchCommitStatus.Committed, result.Status);
        Assert.Equal(upper.LeadId, (await Leads.FindAsync(Ou, new IdentifierKey(IdentifierKind.ExternalId, "CRM-42"), None))?.LeadId);
        Assert.Equal(lower.LeadId, (await Leads.FindAsync(Ou, new IdentifierKey(IdentifierKind.ExternalId, "crm-42"), None))?.LeadId);
        Assert.Equal(cookie.LeadId, (await Leads.FindAsync(Ou, new IdentifierKey(IdentifierKind.Cookie, "CRM-42"), None))?.LeadId);
        Assert.Equal(spaced.LeadId, (await Leads.FindAsync(Ou, new IdentifierKey(IdentifierKind.ExternalId, "CRM-42 "), None))?.LeadId);
        Assert.Null(await Leads.FindAsync(Ou, new IdentifierKey(IdentifierKind.ExternalId, "Crm-42"), None));
    }

    [Fact]
    public async Task Text_is_stored_exactly_as_given_in_fields_identifiers_errors_and_warnings()
    {
        const string Text = "Zoë \"Q\" O'Brien, 漢字 😀 \\ back\\slash\ttab\r\nline \u00a0 \u200b {\"json\": [1]} é";
        var social = new IdentifierKey(IdentifierKind.Social, "linkedin.com/in/zoë-漢字-😀");
        var first = await StartAsync(Ou);
        var lead = NewLead(Fields(("name", Text)), Email("zoë@例え.jp"), social);
        RowError error = new(3, RowErrors.InvalidFormat(IdentifierKind.Email), Text, [Text, "", "😀"]) { Detail = Text };
        RowWarning warning = new(4, "Alias belongs to another lead", Text);
        await CommitAsync(first, [lead], created: 1, errors: [error], warnings: [warning]);
        var second = await StartAsync(Ou);
        await CommitAsync(second, [Update(lead.LeadId, Fields(("city", Text + "2")), social)], updated: 1);

        var found = await Leads.FindAsync(Ou, social, None);

        Assert.Equal(lead.LeadId, found?.LeadId);
        AssertFields(found!, ("name", Text), ("city", Text + "2"));
        AssertIdentifiers(found!, Email("zoë@例え.jp"), social);
        var owners = new Dictionary<IdentifierKey, string>();
        await Leads.LookupAsync(Ou, [Email("zoë@例え.jp"), Email("zoe@例え.jp")], owners, None);
        Assert.Equal(lead.LeadId, Assert.Single(owners).Value);
        var detail = await Jobs.GetAsync(Ou, first.JobId, 10, None);
        AssertErrors([error], detail!.Errors);
        Assert.Equal([warning], detail.Warnings);
    }

    [Fact]
    public async Task The_same_email_in_two_ous_is_two_leads()
    {
        var ours = NewLead(Fields(("first_name", "Ann")), Email("ann@x.com"));
        var theirs = NewLead(Fields(("first_name", "Annie")), Email("ann@x.com"));

        Assert.Equal(BatchCommitStatus.Committed, (await CommitAsync(await StartAsync(Ou), [ours], created: 1)).Status);
        Assert.Equal(BatchCommitStatus.Committed, (await CommitAsync(await StartAsync(OtherOu), [theirs], created: 1)).Status);

        var found = await Leads.FindAsync(Ou, Email("ann@x.com"), None);
        Assert.Equal(ours.LeadId, found?.LeadId);
        Assert.Equal("Ann", found?.Fields["first_name"]);
        var foundThere = await Leads.FindAsync(OtherOu, Email("ann@x.com"), None);
        Assert.Equal(theirs.LeadId, foundThere?.LeadId);
        Assert.Equal(OtherOu, foundThere?.Ou);
        var owners = new Dictionary<IdentifierKey, string>();
        await Leads.LookupAsync(OtherOu, [Email("ann@x.com")], owners, None);
        Assert.Equal(theirs.LeadId, owners[Email("ann@x.com")]);
        Assert.Equal([ours.LeadId], (await Leads.ListAsync(Ou, 1, 10, None)).Items.Select(l => l.LeadId));
        Assert.Equal([theirs.LeadId], (await Leads.ListAsync(OtherOu, 1, 10, None)).Items.Select(l => l.LeadId));
    }

    [Fact]
    public async Task A_batch_giving_an_identifier_owned_by_another_lead_applies_nothing()
    {
        var first = await StartAsync(Ou);
        var owner = NewLead(Fields(("first_name", "Bob")), Email("bob@x.com"), Phone("+15550001"));
        await CommitAsync(first, [owner], created: 1);
        var job = await StartAsync(Ou);
        var carol = NewLead(Fields(("first_name", "Carol")), Email("carol@x.com"));
        var dave = NewLead(Fields(("first_name", "Dave")), Email("dave@x.com"), Phone("+15550001"));
        var bobAgain = Update(owner.LeadId, Fields(("first_name", "Robert")), Email("bob@x.com"));

        var result = await CommitAsync(job, [carol, dave, bobAgain], created: 2, updated: 1, errors: [Error(4)], warnings: [Warning(2)]);

        Assert.Equal(BatchCommitStatus.Conflict, result.Status);
        Assert.Equal([Phone("+15550001")], result.Conflicts);
        Assert.Null(await Leads.FindAsync(Ou, Email("carol@x.com"), None));
        Assert.Null(await Leads.FindAsync(Ou, Email("dave@x.com"), None));
        var kept = await Leads.FindAsync(Ou, Phone("+15550001"), None);
        Assert.Equal(owner.LeadId, kept?.LeadId);
        Assert.Equal("Bob", kept?.Fields["first_name"]);
        Assert.Equal(first.JobId, kept?.UpdatedByJobId);
        Assert.Equal(1, (await Leads.ListAsync(Ou, 1, 10, None)).Total);
        var stored = await Jobs.GetAsync(Ou, job.JobId, 100, None);
        Assert.Equal(default(JobCounters), stored?.Counters);
        Assert.Empty(stored!.Errors);
        Assert.Empty(stored.Warnings);
        Assert.Equal(0, stored.WarningCount);
        Assert.Equal(0, (await Jobs.ListErrorsAsync(Ou, job.JobId, 1, 10, None))?.Total);

        dave.NewIdentifiers.Remove(Phone("+15550001"));
        var decidedAgain = await CommitAsync(job, [carol, dave, bobAgain], created: 2, updated: 1, errors: [Error(4)], warnings: [Warning(2)]);

        Assert.Equal(BatchCommitStatus.Committed, decidedAgain.Status);
        Assert.Equal(dave.LeadId, (await Leads.FindAsync(Ou, Email("dave@x.com"), None))?.LeadId);
        Assert.Equal(owner.LeadId, (await Leads.FindAsync(Ou, Phone("+15550001"), None))?.LeadId);
    }

    [Fact]
    public async Task An_alias_owned_by_another_lead_is_not_added_to_an_existing_lead()
    {
        var job = await StartAsync(Ou);
        var ann = NewLead(null, Email("ann@x.com"));
        var bob = NewLead(null, Email("bob@x.com"), Phone("+15550001"));
        await CommitAsync(job, [ann, bob], created: 2);

        var result = await CommitAsync(job, [Update(ann.LeadId, Fields(("city", "Oslo")), Phone("+15550001"), Phone("+15550002"))], updated: 1);

        Assert.Equal(BatchCommitStatus.Conflict, result.Status);
        Assert.Equal([Phone("+15550001")], result.Conflicts);
        var found = await Leads.FindAsync(Ou, Email("ann@x.com"), None);
        AssertIdentifiers(found!, Email("ann@x.com"));
        Assert.Empty(found!.Fields);
        Assert.Null(await Leads.FindAsync(Ou, Phone("+15550002"), None));
        Assert.Equal(bob.LeadId, (await Leads.FindAsync(Ou, Phone("+15550001"), None))?.LeadId);
        Assert.Equal(2, (await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Counters.Processed);
    }

    [Fact]
    public async Task A_batch_never_changes_a_lead_of_another_ou()
    {
        var theirs = NewLead(Fields(("first_name", "Ann")), Email("ann@x.com"));
        var theirJob = await StartAsync(OtherOu);
        await CommitAsync(theirJob, [theirs], created: 1);
        var job = await StartAsync(Ou);

        // The engine learns lead ids from look-ups in the job's own OU; an id from another OU names no lead here.
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => CommitAsync(job, [Update(theirs.LeadId, Fields(("first_name", "Mallory")), Email("mallory@x.com"))], updated: 1));

        var kept = await Leads.FindAsync(OtherOu, Email("ann@x.com"), None);
        Assert.NotNull(kept);
        AssertFields(kept, ("first_name", "Ann"));
        AssertIdentifiers(kept, Email("ann@x.com"));
        Assert.Equal(theirJob.JobId, kept.UpdatedByJobId);
        Assert.Null(await Leads.FindAsync(OtherOu, Email("mallory@x.com"), None));
        Assert.Null(await Leads.FindAsync(Ou, Email("mallory@x.com"), None));
        Assert.Equal(0, (await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Counters.Processed);
    }

    [Fact]
    public async Task An_identifier_belongs_to_one_lead_under_concurrent_batches()
    {
        const int workers = 8;
        const int rounds = 4;
        const int batchSize = 8;
        var pool = Enumerable.Range(0, 24).Select(i => Email($"lead{i}@x.com")).ToArray();
        var jobs = new List<RunningJob>();
        for (var i = 0; i < workers; i++)
        {
            jobs.Add(await StartAsync(Ou));
        }

        var barrier = new AsyncBarrier(workers);
        var conflicts = 0;

        async Task RunAsync(RunningJob job, int worker)
        {
            for (var round = 0; round < rounds; round++)
            {
                var identifiers = Enumerable.Range(0, batchSize).Select(k => pool[((worker * 3) + (round * 5) + k) % pool.Length]).ToList();
                for (var attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < 20, "A batch kept conflicting.");
                    var owners = new Dictionary<IdentifierKey, string>();
                    await Leads.LookupAsync(Ou, identifiers, owners, None);
                    var changes = identifiers
                        .Select(id => owners.TryGetValue(id, out var leadId)
                            ? Update(leadId, Fields(("last_job", job.JobId)), id)
                            : NewLead(Fields(("email", id.Value)), id))
                        .ToList();
                    if (attempt == 0)
                    {
                        await barrier.SignalAndWait();
                    }

                    var created = changes.Count(c => c.IsNew);
                    var result = await CommitAsync(job, changes, created: created, updated: changes.Count - created);
                    if (result.Status == BatchCommitStatus.Committed)
                    {
                        break;
                    }

                    Assert.Equal(BatchCommitStatus.Conflict, result.Status);
                    Assert.NotEmpty(result.Conflicts);
                    Assert.All(result.Conflicts, c => Assert.DoesNotContain(c, owners.Keys));
                    Interlocked.Increment(ref conflicts);
                }
            }
        }

        await Task.WhenAll(jobs.Select((job, worker) => Task.Run(() => RunAsync(job, worker))));

        Assert.True(conflicts > 0, "Batches that looked up the same identifiers at once must conflict.");
        var leads = (await Leads.ListAsync(Ou, 1, 100, None)).Items;
        Assert.Equal(pool.Length, leads.Count);
        Assert.All(leads, lead => Assert.Single(lead.Identifiers));
        Assert.Equal(pool.OrderBy(i => i.Value, StringComparer.Ordinal), leads.Select(l => l.Identifiers[0]).OrderBy(i => i.Value, StringComparer.Ordinal));
        foreach (var identifier in pool)
        {
            var owner = leads.Single(l => l.Identifiers.Contains(identifier));
            Assert.Equal(owner.LeadId, (await Leads.FindAsync(Ou, identifier, None))?.LeadId);
        }

        var counters = new List<JobCounters>();
        foreach (var job in jobs)
        {
            counters.Add((await Jobs.GetAsync(Ou, job.JobId, 0, None))!.Counters);
        }

        Assert.All(counters, c => Assert.Equal(rounds * batchSize, c.Processed));
        Assert.Equal(pool.Length, counters.Sum(c => c.Created));
    }

    [Fact]
    public async Task A_checkpoint_lands_with_its_batch()
    {
        var job = await StartAsync(Ou);
        var ann = NewLead(null, Email("ann@x.com"));

        Assert.Equal(BatchCommitStatus.Committed, (await CommitAsync(job, [ann, NewLead(null, Email("bob@x.com"))], created: 2, errors: [Error(2)], warnings: [Warning(1)])).Status);

        var stored = await Jobs.GetAsync(Ou, job.JobId, 100, None);
        Assert.Equal(new JobCounters(Created: 2, Updated: 0, Failed: 1, Skipped: 0), stored?.Counters);
        AssertErrors([Error(2)], stored!.Errors);
        Assert.Equal([Warning(1)], stored.Warnings);
        Assert.Equal(1, stored.WarningCount);

        Assert.Equal(BatchCommitStatus.Committed, (await CommitAsync(job, [Update(ann.LeadId, Fields(("city", "Oslo")))], updated: 1, errors: [Error(5), Error(6)])).Status);

        stored = await Jobs.GetAsync(Ou, job.JobId, 100, None);
        Assert.Equal(new JobCounters(Created: 2, Updated: 1, Failed: 3, Skipped: 0), stored?.Counters);
        Assert.Equal(6, stored!.Counters.Processed);
        AssertErrors([Error(2), Error(5), Error(6)], stored.Errors);
        Assert.Equal(1, stored.WarningCount);
        Assert.Equal(JobStatus.InProgress, stored.Status);
    }

    [Fact]
    public async Task A_commit_from_a_stale_checkpoint_applies_nothing()
    {
        var job = await StartAsync(Ou);
        await CommitAsync(job, [NewLead(null, Email("ann@x.com")), NewLead(null, Email("bob@x.com"))], created: 2);
        var behind = new JobCheckpoint
        {
            LeaseHolder = job.Lease.LeaseHolder,
            PreviousProcessedRows = 0,
            Counters = new JobCounters(Created: 3, Updated: 0, Failed: 0, Skipped: 0),
            Errors = [Error(1)],
            Warnings = [Warning(1)],
            WarningCount = 1,
        };
        var ahead = behind with { PreviousProcessedRows = 5, Counters = new JobCounters(Created: 5, Updated: 0, Failed: 1, Skipped: 0) };

        var fromBehind = await Storage.CommitBatchAsync(Ou, job.JobId, [NewLead(null, Email("carol@x.com"))], behind, None);
        var fromAhead = await Storage.CommitBatchAsync(Ou, job.JobId, [NewLead(null, Email("dave@x.com"))], ahead, None);

        Assert.Equal(BatchCommitStatus.Stale, fromBehind.Status);
        Assert.Equal(BatchCommitStatus.Stale, fromAhead.Status);
        Assert.Null(await Leads.FindAsync(Ou, Email("carol@x.com"), None));
        Assert.Null(await Leads.FindAsync(Ou, Email("dave@x.com"), None));
        var stored = await Jobs.GetAsync(Ou, job.JobId, 100, None);
        Assert.Equal(new JobCounters(Created: 2, Updated: 0, Failed: 0, Skipped: 0), stored?.Counters);
        Assert.Empty(stored!.Errors);
        Assert.Equal(0, stored.WarningCount);
    }

    [Fact]
    public async Task A_retried_commit_is_reported_committed_and_applied_once()
    {
        var job = await StartAsync(Ou);
        var changes = new List<LeadChange> { NewLead(null, Email("ann@x.com")), NewLead(null, Email("bob@x.com")) };
        var checkpoint = Checkpoint(job.Lease.LeaseHolder, job.Counters, created: 2, errors: [Error(3)], warnings: [Warning(1)]);

        var first = await Storage.CommitBatchAsync(Ou, job.JobId, changes, checkpoint, None);
        var retry = await Storage.CommitBatchAsync(Ou, job.JobId, changes, checkpoint, None);

        Assert.Equal(BatchCommitStatus.Committed, first.Status);
        Assert.Equal(BatchCommitStatus.Committed, retry.Status);
        var stored = await Jobs.GetAsync(Ou, job.JobId, 100, None);
        Assert.Equal(checkpoint.Counters, stored?.Counters);
        AssertErrors([Error(3)], stored!.Errors);
        Assert.Equal([Warning(1)], stored.Warnings);
        Assert.Equal(1, stored.WarningCount);
        Assert.Equal(1, (await Jobs.ListErrorsAsync(Ou, job.JobId, 1, 10, None))?.Total);
        Assert.Equal(2, (await Leads.ListAsync(Ou, 1, 10, None)).Total);
    }

    [Fact]
    public async Task Job_detail_holds_the_first_errors_and_the_error_list_pages_all_of_them_in_row_order()
    {
        var job = await StartAsync(Ou);
        await CommitAsync(job, [NewLead(null, Email("ann@x.com"))], created: 1, errors: [Error(1), Error(2), Error(3), Error(4)], warnings: [Warning(1), Warning(2), Warning(3)]);
        await CommitAsync(job, [NewLead(null, Email("bob@x.com"))], created: 1, errors: [Error(7), Error(8), Error(9)], warnings: [Warning(6), Warning(7), Warning(8)]);

        var detail = await Jobs.GetAsync(Ou, job.JobId, 5, None);
        var none = await Jobs.GetAsync(Ou, job.JobId, 0, None);
        var first = await Jobs.ListErrorsAsync(Ou, job.JobId, 1, 3, None);
        var last = await Jobs.ListErrorsAsync(Ou, job.JobId, 3, 3, None);
        var beyond = await Jobs.ListErrorsAsync(Ou, job.JobId, 4, 3, None);
        var farBeyond = await Jobs.ListErrorsAsync(Ou, job.JobId, FarPage, FarPageLimit, None);

        AssertErrors([Error(1), Error(2), Error(3), Error(4), Error(7)], detail!.Errors);
        Assert.Equal([Warning(1), Warning(2), Warning(3), Warning(6), Warning(7)], detail.Warnings);
        Assert.Equal(6, detail.WarningCount);
        Assert.Empty(none!.Errors);
        Assert.Empty(none.Warnings);
        Assert.Equal(6, none.WarningCount);
        AssertErrors([Error(1), Error(2), Error(3)], first!.Items);
        Assert.Equal((7L, 1, 3), (first.Total, first.PageNumber, first.Limit));
        AssertErrors([Error(9)], last!.Items);
        Assert.Equal((7L, 3, 3), (last.Total, last.PageNumber, last.Limit));
        Assert.Empty(beyond!.Items);
        Assert.Equal(7, beyond.Total);
        Assert.Empty(farBeyond!.Items);
        Assert.Null(await Jobs.ListErrorsAsync(OtherOu, job.JobId, 1, 3, None));
        AssertErrors([Error(1), Error(2), Error(3)], (await Jobs.ListErrorsAfterAsync(Ou, job.JobId, 0, 3, None))!);
        AssertErrors([Error(4), Error(7), Error(8)], (await Jobs.ListErrorsAfterAsync(Ou, job.JobId, 3, 3, None))!);
        AssertErrors([Error(7), Error(8), Error(9)], (await Jobs.ListErrorsAfterAsync(Ou, job.JobId, 5, 10, None))!);
        Assert.Empty((await Jobs.ListErrorsAfterAsync(Ou, job.JobId, 9, 3, None))!);
        Assert.Null(await Jobs.ListErrorsAfterAsync(OtherOu, job.JobId, 0, 3, None));
        var listed = Assert.Single((await Jobs.ListAsync(Ou, 1, 10, None)).Items);
        Assert.Empty(listed.Errors);
        Assert.Empty(listed.Warnings);
        Assert.Equal(new JobCounters(Created: 2, Updated: 0, Failed: 7, Skipped: 0), listed.Counters);
    }

    [Fact]
    public async Task Deleting_a_finished_job_deletes_its_errors_and_keeps_its_leads()
    {
        var job = await StartAsync(Ou);
        await CommitAsync(job, [NewLead(null, Email("ann@x.com"))], created: 1, errors: [Error(2)], warnings: [Warning(1)]);
        Assert.True(await Storage.FinishJobAsync(job.Lease, JobStatus.Completed, null, None));

        Assert.Equal(DeleteOutcome.Deleted, await Storage.DeleteJobAsync(Ou, job.JobId, None));

        Assert.Null(await Jobs.ListErrorsAsync(Ou, job.JobId, 1, 10, None));
        Assert.Null(await Jobs.GetAsync(Ou, job.JobId, 100, None));
        Assert.NotNull(await Leads.FindAsync(Ou, Email("ann@x.com"), None));
    }

    [Fact]
    public async Task A_released_job_resumes_from_its_last_checkpoint()
    {
        var job = await StartAsync(Ou);
        await CommitAsync(job, [NewLead(null, Email("ann@x.com"))], created: 1, errors: [Error(2)]);
        await CommitAsync(job, [NewLead(null, Email("bob@x.com"))], created: 1, errors: [Error(4)]);
        var checkpoint = job.Counters;

        await Jobs.ReleaseLeaseAsync(job.Lease, None);
        var resumed = await Jobs.AcquireNextAsync("w2", LeaseDuration, None);

        Assert.NotNull(resumed);
        Assert.Equal(job.JobId, resumed.Job.JobId);
        Assert.Equal(checkpoint, resumed.Job.Counters);
        Assert.Equal(4, resumed.Job.Counters.Processed);
        Assert.Equal(job.Lease.Job.StartedAt, resumed.Job.StartedAt);
        var next = new RunningJob(resumed);
        Assert.Equal(BatchCommitStatus.Committed, (await CommitAsync(next, [NewLead(null, Email("carol@x.com"))], created: 1)).Status);
        Assert.Equal(5, (await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Counters.Processed);
    }

    [Fact]
    public async Task An_interrupted_job_is_taken_over_from_its_last_checkpoint_and_its_old_worker_goes_stale()
    {
        var job = await StartAsync(Ou);
        await CommitAsync(job, [NewLead(null, Email("ann@x.com"))], created: 1, errors: [Error(2)]);

        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        var takeover = await Jobs.AcquireNextAsync("w2", LeaseDuration, None);

        Assert.NotNull(takeover);
        Assert.Equal(job.JobId, takeover.Job.JobId);
        Assert.Equal(new JobCounters(Created: 1, Updated: 0, Failed: 1, Skipped: 0), takeover.Job.Counters);
        var next = new RunningJob(takeover);
        Assert.Equal(BatchCommitStatus.Committed, (await CommitAsync(next, [NewLead(null, Email("bob@x.com"))], created: 1, errors: [Error(4)])).Status);

        var late = await CommitAsync(job, [NewLead(null, Email("carol@x.com"))], created: 1);

        Assert.Equal(BatchCommitStatus.Stale, late.Status);
        Assert.Null(await Leads.FindAsync(Ou, Email("carol@x.com"), None));
        Assert.Equal(new JobCounters(Created: 2, Updated: 0, Failed: 2, Skipped: 0), (await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Counters);
    }

    [Fact]
    public async Task A_worker_whose_job_was_taken_over_cannot_commit_even_a_checkpoint_equal_to_the_new_holders()
    {
        // CONTRACT §6: a job runs in at most one worker at a time; the lease decides which.
        var job = await StartAsync(Ou);
        await CommitAsync(job, [NewLead(null, Email("ann@x.com"))], created: 1);
        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        var takeover = new RunningJob((await Jobs.AcquireNextAsync("w2", LeaseDuration, None))!);
        var sameOutcome = Checkpoint(job.Lease.LeaseHolder, job.Counters, created: 1);
        Assert.Equal(BatchCommitStatus.Committed, (await CommitAsync(takeover, [NewLead(null, Email("bob@x.com"))], created: 1)).Status);

        // The old worker's batch reached the same counters with its own lead for bob: it must not pass as "already applied".
        var late = await Storage.CommitBatchAsync(Ou, job.JobId, [NewLead(null, Email("bob@x.com"))], sameOutcome, None);
        var next = await Storage.CommitBatchAsync(Ou, job.JobId, [NewLead(null, Email("carol@x.com"))], Checkpoint(job.Lease.LeaseHolder, sameOutcome.Counters, created: 1), None);

        Assert.Equal(sameOutcome.Counters, takeover.Counters);
        Assert.Equal(BatchCommitStatus.Stale, late.Status);
        Assert.Equal(BatchCommitStatus.Stale, next.Status);
        Assert.Null(await Leads.FindAsync(Ou, Email("carol@x.com"), None));
        Assert.Equal(2, (await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Counters.Processed);
    }

    [Fact]
    public async Task A_holder_whose_lease_lapsed_unclaimed_still_commits()
    {
        // CONTRACT §6: a lease is taken over only when it lapses, and only by another worker's claim.
        var job = await StartAsync(Ou);
        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));

        var result = await CommitAsync(job, [NewLead(null, Email("ann@x.com"))], created: 1);

        Assert.Equal(BatchCommitStatus.Committed, result.Status);
        Assert.NotNull(await Leads.FindAsync(Ou, Email("ann@x.com"), None));
    }

    [Fact]
    public async Task A_batch_that_changes_a_lead_that_does_not_exist_fails_and_applies_nothing()
    {
        // CONTRACT §5: a batch lands whole or not at all; it never changes a lead it cannot see.
        var job = await StartAsync(Ou);
        var ann = NewLead(null, Email("ann@x.com"));
        await CommitAsync(job, [ann], created: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => CommitAsync(job, [NewLead(null, Email("bob@x.com")), Update(ann.LeadId, Fields(("city", "Oslo"))), Update(ImportIds.NewLeadId(), Fields(("city", "Rome")))], created: 1, updated: 2));

        Assert.Null(await Leads.FindAsync(Ou, Email("bob@x.com"), None));
        Assert.Empty((await Leads.FindAsync(Ou, Email("ann@x.com"), None))!.Fields);
        Assert.Equal(1, (await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Counters.Processed);
    }

    [Fact]
    public async Task The_warning_count_counts_the_warnings_a_checkpoint_does_not_keep()
    {
        // CONTRACT §6: the detail holds the first warnings, and warning_count counts them all.
        var job = await StartAsync(Ou);
        var checkpoint = Checkpoint(job.Lease.LeaseHolder, job.Counters, created: 1, warnings: [Warning(1)]) with { WarningCount = 40 };

        Assert.Equal(BatchCommitStatus.Committed, (await Storage.CommitBatchAsync(Ou, job.JobId, [NewLead(null, Email("ann@x.com"))], checkpoint, None)).Status);

        var stored = await Jobs.GetAsync(Ou, job.JobId, 100, None);
        Assert.Equal([Warning(1)], stored!.Warnings);
        Assert.Equal(40, stored.WarningCount);
    }

    [Fact]
    public async Task An_ous_failed_first_commit_leaves_it_apart_from_the_ou_that_commits_next()
    {
        // CONTRACT §1: the same email in two OUs is two different leads, whatever failed before.
        var first = await StartAsync(Ou);
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => CommitAsync(first, [NewLead(null, Email("ann@x.com")), Update(ImportIds.NewLeadId(), Fields(("city", "Rome")))], created: 1, updated: 1));
        var other = await StartAsync(OtherOu);
        await CommitAsync(other, [NewLead(null, Email("bob@x.com"))], created: 1);

        await CommitAsync(first, [NewLead(null, Email("carol@x.com"))], created: 1);

        Assert.Equal(["carol@x.com"], (await Leads.ListAsync(Ou, 1, 10, None)).Items.Select(l => l.Identifiers[0].Value));
        Assert.Equal(["bob@x.com"], (await Leads.ListAsync(OtherOu, 1, 10, None)).Items.Select(l => l.Identifiers[0].Value));
        Assert.Null(await Leads.FindAsync(OtherOu, Email("carol@x.com"), None));
    }

    [Fact]
    public async Task A_commit_reports_a_cancel_request()
    {
        var job = await StartAsync(Ou);
        Assert.False((await CommitAsync(job, [NewLead(null, Email("ann@x.com"))], created: 1)).CancelRequested);

        Assert.Equal(CancelStatus.Requested, (await Storage.CancelJobAsync(Ou, job.JobId, None)).Status);

        var result = await CommitAsync(job, [NewLead(null, Email("bob@x.com"))], created: 1);
        Assert.Equal(BatchCommitStatus.Committed, result.Status);
        Assert.True(result.CancelRequested);
        Assert.Equal(2, (await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Counters.Processed);
    }

    [Fact]
    public async Task A_commit_to_a_finished_job_or_another_ous_job_applies_nothing()
    {
        var finished = await StartAsync(Ou);
        await CommitAsync(finished, [NewLead(null, Email("ann@x.com"))], created: 1);
        Assert.True(await Storage.FinishJobAsync(finished.Lease, JobStatus.Completed, null, None));
        var cancelled = NewJob(Ou, Time.GetUtcNow());
        await CreateJobAsync(cancelled);
        await Storage.CancelJobAsync(Ou, cancelled.JobId, None);
        var running = await StartAsync(Ou);

        var afterFinish = await CommitAsync(finished, [NewLead(null, Email("bob@x.com"))], created: 1);
        var afterCancel = await Storage.CommitBatchAsync(Ou, cancelled.JobId, [NewLead(null, Email("carol@x.com"))], Checkpoint("w-never-leased", default, created: 1), None);
        var fromOtherOu = await Storage.CommitBatchAsync(OtherOu, running.JobId, [NewLead(null, Email("dave@x.com"))], Checkpoint(running.Lease.LeaseHolder, default, created: 1), None);

        Assert.Equal(BatchCommitStatus.Stale, afterFinish.Status);
        Assert.Equal(BatchCommitStatus.Stale, afterCancel.Status);
        Assert.NotEqual(BatchCommitStatus.Committed, fromOtherOu.Status);
        Assert.Null(await Leads.FindAsync(Ou, Email("bob@x.com"), None));
        Assert.Null(await Leads.FindAsync(Ou, Email("carol@x.com"), None));
        Assert.Null(await Leads.FindAsync(Ou, Email("dave@x.com"), None));
        Assert.Null(await Leads.FindAsync(OtherOu, Email("dave@x.com"), None));
        Assert.Equal(1, (await Jobs.GetAsync(Ou, finished.JobId, 0, None))?.Counters.Processed);
        Assert.Equal(0, (await Jobs.GetAsync(Ou, cancelled.JobId, 0, None))?.Counters.Processed);
        Assert.Equal(0, (await Jobs.GetAsync(Ou, running.JobId, 0, None))?.Counters.Processed);
    }

    [Fact]
    public async Task Leads_are_listed_in_creation_order_a_page_at_a_time()
    {
        var job = await StartAsync(Ou);
        var leads = Enumerable.Range(1, 5).Select(i => NewLead(Fields(("first_name", $"Lead {i}")), Email($"lead{i}@x.com"))).ToList();
        await CommitAsync(job, leads[..3], created: 3);
        await CommitAsync(job, leads[3..], created: 2);
        await CommitAsync(await StartAsync(OtherOu), [NewLead(null, Email("lead1@x.com"))], created: 1);

        var first = await Leads.ListAsync(Ou, 1, 2, None);
        var last = await Leads.ListAsync(Ou, 3, 2, None);
        var beyond = await Leads.ListAsync(Ou, 4, 2, None);
        var farBeyond = await Leads.ListAsync(Ou, FarPage, FarPageLimit, None);

        Assert.Equal(leads[..2].Select(l => l.LeadId), first.Items.Select(l => l.LeadId));
        Assert.Equal((5L, 1, 2), (first.Total, first.PageNumber, first.Limit));
        Assert.Equal([leads[4].LeadId], last.Items.Select(l => l.LeadId));
        Assert.Equal((5L, 3, 2), (last.Total, last.PageNumber, last.Limit));
        Assert.Empty(beyond.Items);
        Assert.Equal(5, beyond.Total);
        Assert.Empty(farBeyond.Items);
        AssertFields(first.Items[1], ("first_name", "Lead 2"));
        AssertIdentifiers(first.Items[1], Email("lead2@x.com"));
        Assert.Equal(Ou, first.Items[1].Ou);
    }

    private static void AssertFields(Lead lead, params (string Field, string Value)[] expected) =>
        Assert.Equal(
            expected.OrderBy(f => f.Field, StringComparer.Ordinal),
            lead.Fields.Select(f => (f.Key, f.Value)).OrderBy(f => f.Key, StringComparer.Ordinal));

    private static void AssertIdentifiers(Lead lead, params IdentifierKey[] expected)
    {
        Assert.Equal(expected.Length, lead.Identifiers.Count);
        Assert.Equal(expected.ToHashSet(), lead.Identifiers.ToHashSet());
    }

    /// <summary>Record equality compares the cells by reference; a store that serialises errors returns new lists.</summary>
    private static void AssertErrors(IReadOnlyList<RowError> expected, IReadOnlyList<RowError> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Cells, actual[i].Cells);
            Assert.Equal(expected[i], actual[i] with { Cells = expected[i].Cells });
        }
    }

    [Fact]
    public async Task The_feed_gives_each_changed_lead_once_at_its_last_change_in_commit_order()
    {
        var job = await StartAsync(Ou);
        var ann = NewLead(Fields(("first_name", "Ann")), Email("ann@x.com"));
        var bob = NewLead(Fields(("first_name", "Bob")), Email("bob@x.com"));
        var cy = NewLead(null, Email("cy@x.com"));
        await CommitAsync(job, [ann, bob, cy], created: 3);
        await CommitAsync(job, [Update(ann.LeadId, Fields(("city", "Oslo")))], updated: 1);

        var page = await Leads.ReadFeedAsync(Ou, default, 10, None);

        Assert.Equal([bob.LeadId, cy.LeadId, ann.LeadId], page.Leads.Select(l => l.LeadId));
        Assert.Equal("Oslo", page.Leads[2].Fields["city"]);
        Assert.Empty((await Leads.ReadFeedAsync(Ou, page.Next, 10, None)).Leads);
        Assert.Empty((await Leads.ReadFeedAsync(OtherOu, default, 10, None)).Leads);
    }

    [Fact]
    public async Task Reading_the_feed_a_page_at_a_time_resumes_where_it_stopped_and_sees_later_changes()
    {
        var job = await StartAsync(Ou);
        List<LeadChange> first = [.. Enumerable.Range(0, 5).Select(i => NewLead(null, Email($"u{i}@x.com")))];
        await CommitAsync(job, first, created: 5);

        var one = await Leads.ReadFeedAsync(Ou, default, 2, None);
        var two = await Leads.ReadFeedAsync(Ou, one.Next, 2, None);
        var late = NewLead(null, Email("late@x.com"));
        await CommitAsync(job, [Update(first[0].LeadId, Fields(("city", "Rome"))), late], created: 1, updated: 1);
        var three = await Leads.ReadFeedAsync(Ou, two.Next, 10, None);
        var empty = await Leads.ReadFeedAsync(Ou, three.Next, 10, None);

        Assert.Equal(first.Take(4).Select(c => c.LeadId), one.Leads.Concat(two.Leads).Select(l => l.LeadId));
        Assert.Equal([first[4].LeadId, first[0].LeadId, late.LeadId], three.Leads.Select(l => l.LeadId));
        Assert.Empty(empty.Leads);
        Assert.Equal(three.Next, empty.Next);
    }

    [Fact]
    public async Task An_identifier_rewrite_changes_stored_values_and_the_older_lead_keeps_a_value_two_then_claim()
    {
        var job = await StartAsync(Ou);
        var older = NewLead(null, Email("ann@x.com"), Phone("4155550100"));
        var younger = NewLead(null, Email("bob@x.com"), Phone("+14155550100"));
        var untouched = NewLead(null, Phone("+442079460000"));
        await CommitAsync(job, [older, younger, untouched], created: 3);
        var before = await Leads.ReadFeedAsync(Ou, default, 10, None);

        var (rewritten, conflicts) = await RewriteAsync(PhonesWithoutCountryAreAmerican(1));

        Assert.Equal(1, rewritten);
        Assert.Equal([new IdentifierRewriteConflict(Ou, Phone("+14155550100"), older.LeadId, younger.LeadId)], conflicts);
        Assert.Equal(older.LeadId, (await Leads.FindAsync(Ou, Phone("+14155550100"), None))?.LeadId);
        Assert.Null(await Leads.FindAsync(Ou, Phone("4155550100"), None));
        AssertIdentifiers((await Leads.FindAsync(Ou, Email("bob@x.com"), None))!, Email("bob@x.com"));
        AssertIdentifiers((await Leads.FindAsync(Ou, Email("ann@x.com"), None))!, Email("ann@x.com"), Phone("+14155550100"));
        Assert.Equal(
            new[] { older.LeadId, younger.LeadId }.Order(StringComparer.Ordinal),
            (await Leads.ReadFeedAsync(Ou, before.Next, 10, None)).Leads.Select(l => l.LeadId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_identifier_rewrite_runs_once_per_version_and_each_version_in_turn()
    {
        var job = await StartAsync(Ou);
        await CommitAsync(job, [NewLead(null, Phone("4155550100")), NewLead(null, Phone("4155550101"))], created: 2);
        await CommitAsync(job, [NewLead(null, Phone("4155550102"))], created: 1);

        var first = await RewriteAsync(PhonesWithoutCountryAreAmerican(1));
        var again = await RewriteAsync(PhonesWithoutCountryAreAmerican(1));
        var next = await RewriteAsync(new IdentifierRewrite(2, "phones end in 9", k => k.Value[..^1] + "9"));

        Assert.Equal((3, 0, 3), (first.Rewritten, again.Rewritten, next.Rewritten));
        Assert.Equal(2, next.Conflicts.Count);
        Assert.Single((await Leads.ListAsync(Ou, 1, 10, None)).Items, l => l.Identifiers.Count == 1);
    }

    private static IdentifierRewrite PhonesWithoutCountryAreAmerican(int version) =>
        new(version, "US phones get their country code", k => k.Kind == IdentifierKind.Phone && !k.Value.StartsWith('+') ? "+1" + k.Value : null);

    /// <summary>Runs a rewrite in batches of one until it is done, as a host restarted after every batch would.</summary>
    private async Task<(int Rewritten, List<IdentifierRewriteConflict> Conflicts)> RewriteAsync(IdentifierRewrite rewrite)
    {
        var (rewritten, conflicts) = (0, new List<IdentifierRewriteConflict>());
        for (var calls = 0; ; calls++)
        {
            Assert.InRange(calls, 0, 100);
            var progress = await Storage.RewriteIdentifiersAsync(rewrite, 1, None);
            rewritten += progress.Rewritten;
            conflicts.AddRange(progress.Conflicts);
            if (progress.Done)
            {
                return (rewritten, conflicts);
            }
        }
    }

    /// <summary>Lets the workers of the concurrency test commit at the same moment, so their batches really race.</summary>
    private sealed class AsyncBarrier(int participants)
    {
        private readonly Lock _lock = new();
        private readonly int _participants = participants;
        private int _remaining = participants;
        private TaskCompletionSource _phase = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task SignalAndWait()
        {
            lock (_lock)
            {
                var phase = _phase;
                if (--_remaining == 0)
                {
                    _remaining = _participants;
                    _phase = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    phase.SetResult();
                }

                return phase.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
    }
}
