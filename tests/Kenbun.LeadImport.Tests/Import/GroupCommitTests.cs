using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>
/// Group commit (<see cref="LeadImportOptions.MaxBatchesPerCommit"/>): the batches looked up while a commit runs are
/// decided and committed together with one checkpoint, and the outcome is still that of applying the rows one by one;
/// a group the store refuses is committed again one batch at a time, so only a refused batch's rows fail (CONTRACT §6);
/// progress is stored with every commit, which holds at most that many batches (CONTRACT §6: counters advance while
/// the job runs, at every commit rather than every batch). The first
/// commit is held until every later batch has been looked up, and they only after it began, so what forms a group does
/// not depend on timing.
/// </summary>
public class GroupCommitTests
{
    private const string File = "Email,Name,Phone\na@x.com,A,+14155550101\nb@x.com,B,\nA@X.com,A2,+14155550102\nc@x.com,C,+14155550101\nd@x.com,D,\n";

    [Fact]
    public async Task Batches_looked_up_during_a_commit_commit_together_as_the_rows_one_by_one_would()
    {
        using var harness = await HarnessAsync(_ => { });

        var job = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal([1L, 5L], Store(harness).CommittedProgress); // row 1 alone, then rows 2–5 together
        Assert.Equal(new JobCounters(4, 1, 0, 0), job.Counters);
        var a = await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Email, "a@x.com"), CancellationToken.None);
        Assert.Equal("A2", a!.Fields["first_name"]);
        Assert.Equal(["a@x.com", "+14155550101", "+14155550102"], a.Identifiers.Select(i => i.Value));
        Assert.Equal([(4L, "Alias belongs to another lead")], job.Warnings.Select(w => (w.Row, w.Warning)));
    }

    [Fact]
    public async Task Progress_is_stored_with_every_commit_and_a_commit_takes_at_most_its_bound_of_batches()
    {
        using var harness = await HarnessAsync(_ => { }, maxBatchesPerCommit: 2);

        var job = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal([1L, 3L, 5L], Store(harness).CommittedProgress); // row 1, then rows 2–3 and 4–5: all five were ready
        Assert.Equal(new JobCounters(4, 1, 0, 0), job.Counters);
    }

    [Fact]
    public async Task A_refused_group_commits_again_batch_by_batch_and_only_a_refused_batch_fails()
    {
        // Commit 2 is the group of rows 2–5; split, commit 4 is row 3 alone: refused, its rows fail, and commit 5 records that.
        using var harness = await HarnessAsync(store => store.FailCommit = attempt => attempt is 2 or 4 ? StorageFailureKind.Batch : null);

        var job = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(7, Store(harness).CommitAttempts);
        Assert.Equal(new JobCounters(4, 0, 1, 0), job.Counters);
        Assert.Equal([(3L, RowErrors.ServerError)], job.Errors.Select(e => (e.Row, e.Error)));
        var a = await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Email, "a@x.com"), CancellationToken.None);
        Assert.Equal("A", a!.Fields["first_name"]);
        Assert.NotNull(await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Email, "d@x.com"), CancellationToken.None));
    }

    private static async Task<ImportHarness> HarnessAsync(Action<FaultyStorage> faults, int maxBatchesPerCommit = 8)
    {
        var harness = new ImportHarness(
            o =>
            {
                o.BatchSize = 1;
                o.MaxBatchesPerCommit = maxBatchesPerCommit;
                o.BatchRetryCount = 0;
                o.StorageRetryDelay = TimeSpan.Zero;
            },
            services: s => FaultyStorage.Register(s, store =>
            {
                // Row 1's commit waits for every look-up, and rows 2–5 are looked up only once it has begun: it goes alone.
                store.BeforeLookup = attempt => WaitUntil(() => attempt == 1 || store.CommitAttempts >= 1);
                store.BeforeCommit = attempt => WaitUntil(() => attempt > 1 || store.LookupAttempts >= 5);
                faults(store);
            }));
        await harness.StartAsync(File, ImportHost.ByEmail(fields: new Dictionary<string, string?> { ["Name"] = "first_name" }, aliases: new Dictionary<string, string?> { ["Phone"] = "_alias_phone" }));
        return harness;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }

    private static FaultyStorage Store(ImportHarness harness) => (FaultyStorage)harness.Storage;
}
