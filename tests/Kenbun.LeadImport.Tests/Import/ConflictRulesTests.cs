using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>
/// A batch whose commit meets identifiers another import of its OU took since its look-up (a conflict) looks again and
/// decides again. While each conflict is over identifiers taken anew, another import is getting on with the same people
/// first, and the batch waits it out however long it runs (two large overlapping imports on two hosts do that for their
/// whole run); a batch that only meets identifiers it met before is stuck, and its job fails.
/// </summary>
public class ConflictRulesTests
{
    private static readonly string ThirtyEmails = "Email\n" + string.Join("\n", Enumerable.Range(1, 30).Select(i => $"user{i}@x.com"));

    [Fact]
    public async Task A_batch_goes_on_while_another_import_keeps_taking_its_identifiers_first_and_commits_once_it_stops()
    {
        // Before each of the job's first 15 commit attempts, another import of the OU commits a lead for one more of
        // the emails the job's only batch is about to create a lead for: 15 conflicts, each over an email taken anew.
        JobLease? rival = null;
        var rivalCounters = new JobCounters(0, 0, 0, 0);
        FaultyStorage? store = null;
        using var harness = new ImportHarness(o => o.BatchSize = 100, services: s => FaultyStorage.Register(s, storage =>
        {
            store = storage;
            storage.BeforeCommit = async attempt =>
            {
                if (attempt <= 15)
                {
                    var checkpoint = StoreTestData.Checkpoint(rival!.LeaseHolder, rivalCounters, created: 1);
                    LeadChange[] claim = [StoreTestData.NewLead(null, new IdentifierKey(IdentifierKind.Email, $"user{attempt}@x.com"))];
                    Assert.Equal(BatchCommitStatus.Committed, (await storage.Inner.CommitBatchAsync(ImportHarness.Ou, rival.Job.JobId, claim, checkpoint, CancellationToken.None)).Status);
                    rivalCounters = checkpoint.Counters;
                }
            };
        }));
        await harness.StartAsync(ThirtyEmails, ImportHost.ByEmail());
        rival = await harness.Jobs.AcquireNextAsync("rival", TimeSpan.FromMinutes(5), CancellationToken.None);
        await harness.StartAsync(ThirtyEmails, ImportHost.ByEmail());

        var job = await harness.RunNextJobAsync();

        Assert.Equal((JobStatus.Completed, null), (job.Status, job.FailureReason));
        Assert.Equal(new JobCounters(15, 15, 0, 0), job.Counters);
        Assert.Equal(16, store!.CommitAttempts);
        Assert.Equal(30, (await harness.Leads.ListAsync(ImportHarness.Ou, 1, 100, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task A_batch_that_keeps_conflicting_over_the_same_identifier_fails_its_job()
    {
        AlwaysConflicting? store = null;
        using var harness = new ImportHarness(storage: b => b.UseStorage(p => store = new AlwaysConflicting(new InMemoryStorage(p.GetRequiredService<TimeProvider>()))));
        await harness.StartAsync(ThirtyEmails, ImportHost.ByEmail());

        var job = await harness.RunNextJobAsync();

        Assert.Equal((JobStatus.Failed, "A batch kept conflicting with other imports."), (job.Status, job.FailureReason));
        Assert.Equal(11, store!.Attempts); // a conflict over an identifier met anew, then ten over it again
    }

    /// <summary>A store that answers every commit with a conflict over the same email, as a broken one might.</summary>
    private sealed class AlwaysConflicting(LeadImportStorage inner) : DelegatingStorage(inner)
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public override ValueTask<BatchCommitResult> CommitBatchAsync(
            string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            return ValueTask.FromResult(new BatchCommitResult(BatchCommitStatus.Conflict, [new IdentifierKey(IdentifierKind.Email, "user1@x.com")], false));
        }
    }
}
