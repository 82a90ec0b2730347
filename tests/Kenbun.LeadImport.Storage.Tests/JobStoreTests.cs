using Kenbun.LeadImport.Jobs;
using Microsoft.Extensions.Time.Testing;
using static Kenbun.LeadImport.Storage.Tests.StoreTestData;

namespace Kenbun.LeadImport.Storage.Tests;

/// <summary>
/// What every <see cref="IJobStore"/> must do: derive, implement <see cref="CreateStore"/>, and the tests run.
/// Errors and warnings reach a job through <see cref="ILeadStore.CommitBatchAsync"/>, so the tests of their paging
/// are in <see cref="LeadStoreTests"/>.
/// </summary>
public abstract class JobStoreTests : IAsyncLifetime
{
    private const string Ou = "ou-a";
    private const string OtherOu = "ou-b";
    private const int Quota = 20;
    private static readonly CancellationToken None = CancellationToken.None;

    private IJobStore? _store;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));

    protected IJobStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates an empty store that stamps and judges leases by <paramref name="timeProvider"/>.</summary>
    protected abstract Task<IJobStore> CreateStore(TimeProvider timeProvider);

    public async Task InitializeAsync() => _store = await CreateStore(Time);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_created_job_is_queued_and_reads_back_with_its_settings()
    {
        var job = NewJob(Ou, Time.GetUtcNow());

        var creation = await Store.CreateAsync(job, Quota, None);

        Assert.Equal(JobCreationStatus.Created, creation.Status);
        AssertSameJob(job, creation.Job);
        var stored = await Store.GetAsync(Ou, job.JobId, 100, None);
        AssertSameJob(job, stored);
        Assert.Equal(JobStatus.Queued, stored!.Status);
        Assert.Null(stored.StartedAt);
        Assert.Null(stored.CompletedAt);
        Assert.Equal(default(JobCounters), stored.Counters);
        Assert.False(stored.CancelRequested);
        Assert.Null(stored.FailureReason);
        Assert.Empty(stored.Errors);
        Assert.Empty(stored.Warnings);
        Assert.Equal(0, stored.WarningCount);
        AssertSameJob(job, await Store.FindByFileAsync(Ou, job.FileId, None));
    }

    [Fact]
    public async Task A_file_starts_one_job()
    {
        var first = await CreateAsync(Ou);
        var second = NewJob(Ou, Time.GetUtcNow(), first.FileId);

        var creation = await Store.CreateAsync(second, Quota, None);

        Assert.Equal(JobCreationStatus.FileAlreadyStarted, creation.Status);
        Assert.Equal(first.JobId, creation.Job?.JobId);
        Assert.Null(await Store.GetAsync(Ou, second.JobId, 0, None));
        Assert.Equal(1, (await Store.ListAsync(Ou, 1, 10, None)).Total);
    }

    [Fact]
    public async Task Dry_runs_never_conflict_and_are_not_the_files_import()
    {
        // CONTRACT §3: a file may be dry-run any number of times, before and beside its one real import.
        var fileId = ImportIds.NewFileId();
        var firstDryRun = DryRun(NewJob(Ou, Time.GetUtcNow(), fileId));
        var secondDryRun = DryRun(NewJob(Ou, Time.GetUtcNow(), fileId));
        var real = NewJob(Ou, Time.GetUtcNow(), fileId);

        Assert.Equal(JobCreationStatus.Created, (await Store.CreateAsync(firstDryRun, Quota, None)).Status);
        Assert.Equal(JobCreationStatus.Created, (await Store.CreateAsync(secondDryRun, Quota, None)).Status);
        Assert.Null(await Store.FindByFileAsync(Ou, fileId, None));
        Assert.Equal(JobCreationStatus.Created, (await Store.CreateAsync(real, Quota, None)).Status);
        var lateDryRun = await Store.CreateAsync(DryRun(NewJob(Ou, Time.GetUtcNow(), fileId)), Quota, None);
        var secondReal = await Store.CreateAsync(NewJob(Ou, Time.GetUtcNow(), fileId), Quota, None);

        Assert.Equal(JobCreationStatus.Created, lateDryRun.Status);
        Assert.Equal((JobCreationStatus.FileAlreadyStarted, real.JobId), (secondReal.Status, secondReal.Job?.JobId));
        AssertSameJob(real, await Store.FindByFileAsync(Ou, fileId, None));
        AssertSameJob(firstDryRun, await Store.GetAsync(Ou, firstDryRun.JobId, 0, None));
    }

    [Fact]
    public async Task The_files_in_use_are_those_of_queued_and_running_jobs()
    {
        var running = await CreateAsync(Ou);
        Assert.Equal(running.JobId, (await Store.AcquireNextAsync("w1", LeaseDuration, None))?.Job.JobId);
        await CreateAsync(Ou);
        var finishing = (await Store.AcquireNextAsync("w2", LeaseDuration, None))!;
        Assert.True(await Store.FinishAsync(finishing, JobStatus.Completed, null, None));
        var queued = await CreateAsync(Ou);

        var inUse = await Store.ListFilesInUseAsync(None);

        Assert.Equal(new[] { queued.FileId, running.FileId }.Order(StringComparer.Ordinal), inUse.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Of_concurrent_creations_for_one_file_exactly_one_wins()
    {
        var fileId = ImportIds.NewFileId();
        var now = Time.GetUtcNow();

        var creations = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            Task.Run(async () => await Store.CreateAsync(NewJob(Ou, now, fileId), Quota, None))));

        var winner = Assert.Single(creations, c => c.Status == JobCreationStatus.Created);
        Assert.All(creations.Where(c => c != winner), c =>
        {
            Assert.Equal(JobCreationStatus.FileAlreadyStarted, c.Status);
            Assert.Equal(winner.Job!.JobId, c.Job?.JobId);
        });
        Assert.Equal(1, (await Store.ListAsync(Ou, 1, 100, None)).Total);
    }

    [Fact]
    public async Task A_file_id_of_another_ou_does_not_reveal_its_job()
    {
        var theirs = await CreateAsync(OtherOu);
        var ours = NewJob(Ou, Time.GetUtcNow(), theirs.FileId);

        var creation = await Store.CreateAsync(ours, Quota, None);

        Assert.Equal(JobCreationStatus.Created, creation.Status);
        Assert.Equal(ours.JobId, creation.Job?.JobId);
        Assert.Equal(ours.JobId, (await Store.FindByFileAsync(Ou, theirs.FileId, None))?.JobId);
        Assert.Equal(theirs.JobId, (await Store.FindByFileAsync(OtherOu, theirs.FileId, None))?.JobId);
    }

    [Fact]
    public async Task An_ou_queues_at_most_its_quota_of_jobs_and_other_ous_are_unaffected()
    {
        const int quota = 2;
        var first = await CreateAsync(Ou, quota);
        await CreateAsync(Ou, quota);
        var refused = NewJob(Ou, Time.GetUtcNow());

        var creation = await Store.CreateAsync(refused, quota, None);

        Assert.Equal(new JobCreation(JobCreationStatus.QuotaExceeded, null), creation);
        Assert.Null(await Store.GetAsync(Ou, refused.JobId, 0, None));
        Assert.Null(await Store.FindByFileAsync(Ou, refused.FileId, None));
        await CreateAsync(OtherOu, quota);
        await CreateAsync(OtherOu, quota);
        Assert.Equal(2, (await Store.ListAsync(Ou, 1, 10, None)).Total);
    }

    [Fact]
    public async Task Only_queued_jobs_count_against_the_quota()
    {
        const int quota = 2;
        var running = await CreateAsync(Ou, quota);
        Assert.Equal(running.JobId, (await AcquireAsync("w1")).Job.JobId);
        await CreateAsync(Ou, quota);
        var cancelled = await CreateAsync(Ou, quota);
        Assert.Equal(JobCreationStatus.QuotaExceeded, (await Store.CreateAsync(NewJob(Ou, Time.GetUtcNow()), quota, None)).Status);

        Assert.Equal(CancelStatus.Cancelled, (await Store.RequestCancelAsync(Ou, cancelled.JobId, None)).Status);

        await CreateAsync(Ou, quota);
        Assert.Equal(JobCreationStatus.QuotaExceeded, (await Store.CreateAsync(NewJob(Ou, Time.GetUtcNow()), quota, None)).Status);
    }

    [Fact]
    public async Task Jobs_of_another_ou_do_not_exist()
    {
        var queued = await CreateAsync(Ou);
        var finished = await CreateAsync(Ou);
        await Store.RequestCancelAsync(Ou, finished.JobId, None);

        Assert.Null(await Store.GetAsync(OtherOu, queued.JobId, 100, None));
        Assert.Null(await Store.FindByFileAsync(OtherOu, queued.FileId, None));
        Assert.Null(await Store.ListErrorsAsync(OtherOu, queued.JobId, 1, 10, None));
        var list = await Store.ListAsync(OtherOu, 1, 10, None);
        Assert.Empty(list.Items);
        Assert.Equal(0, list.Total);
        Assert.Equal(new CancelOutcome(CancelStatus.NotFound, null), await Store.RequestCancelAsync(OtherOu, queued.JobId, None));
        Assert.Equal(DeleteOutcome.NotFound, await Store.DeleteAsync(OtherOu, finished.JobId, None));

        Assert.Equal(JobStatus.Queued, (await Store.GetAsync(Ou, queued.JobId, 0, None))?.Status);
        Assert.Equal(JobStatus.Cancelled, (await Store.GetAsync(Ou, finished.JobId, 0, None))?.Status);
    }

    [Fact]
    public async Task Unknown_jobs_are_not_found()
    {
        var unknown = ImportIds.NewJobId();

        Assert.Null(await Store.GetAsync(Ou, unknown, 100, None));
        Assert.Null(await Store.FindByFileAsync(Ou, ImportIds.NewFileId(), None));
        Assert.Null(await Store.ListErrorsAsync(Ou, unknown, 1, 10, None));
        Assert.Equal(CancelStatus.NotFound, (await Store.RequestCancelAsync(Ou, unknown, None)).Status);
        Assert.Equal(DeleteOutcome.NotFound, await Store.DeleteAsync(Ou, unknown, None));
    }

    [Fact]
    public async Task Jobs_are_listed_newest_first_a_page_at_a_time()
    {
        var jobs = new List<ImportJob>();
        for (var i = 0; i < 5; i++)
        {
            jobs.Add(await CreateAsync(Ou));
        }

        await CreateAsync(OtherOu);
        var newestFirst = jobs.Select(j => j.JobId).Reverse().ToList();

        var first = await Store.ListAsync(Ou, 1, 2, None);
        var last = await Store.ListAsync(Ou, 3, 2, None);
        var beyond = await Store.ListAsync(Ou, 4, 2, None);

        Assert.Equal(newestFirst[..2], first.Items.Select(j => j.JobId));
        Assert.Equal((5L, 1, 2), (first.Total, first.PageNumber, first.Limit));
        Assert.Equal(newestFirst[4..], last.Items.Select(j => j.JobId));
        Assert.Equal((5L, 3, 2), (last.Total, last.PageNumber, last.Limit));
        Assert.Empty(beyond.Items);
        Assert.Equal(5, beyond.Total);
        AssertSameJob(jobs[4], first.Items[0]);
    }

    [Fact]
    public async Task A_job_without_errors_has_an_empty_error_list()
    {
        var job = await CreateAsync(Ou);

        var errors = await Store.ListErrorsAsync(Ou, job.JobId, 1, 10, None);

        Assert.NotNull(errors);
        Assert.Empty(errors.Items);
        Assert.Equal((0L, 1, 10), (errors.Total, errors.PageNumber, errors.Limit));
    }

    [Fact]
    public async Task Acquiring_a_queued_job_starts_it_under_a_lease()
    {
        Assert.Null(await Store.AcquireNextAsync("w1", LeaseDuration, None));
        var job = await CreateAsync(Ou);
        var startedAt = Time.GetUtcNow();

        var lease = await AcquireAsync("w1");

        Assert.Equal("w1", lease.WorkerId);
        Assert.Equal(startedAt + LeaseDuration, lease.ExpiresAt);
        AssertSameJob(job, lease.Job);
        Assert.Equal(JobStatus.InProgress, lease.Job.Status);
        Assert.Equal(startedAt, lease.Job.StartedAt);
        Assert.Equal(default(JobCounters), lease.Job.Counters);
        var stored = await Store.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(JobStatus.InProgress, stored?.Status);
        Assert.Equal(startedAt, stored?.StartedAt);
        Assert.Null(stored?.CompletedAt);
        Assert.Null(await Store.AcquireNextAsync("w2", LeaseDuration, None));
    }

    [Fact]
    public async Task A_leased_job_is_taken_over_only_when_its_lease_lapses()
    {
        var job = await CreateAsync(Ou);
        var first = await AcquireAsync("w1");

        Time.Advance(LeaseDuration - TimeSpan.FromSeconds(1));
        Assert.Null(await Store.AcquireNextAsync("w2", LeaseDuration, None));

        Time.Advance(TimeSpan.FromSeconds(2));
        var takeover = await AcquireAsync("w2");

        Assert.Equal(job.JobId, takeover.Job.JobId);
        Assert.Equal("w2", takeover.WorkerId);
        Assert.Equal(Time.GetUtcNow() + LeaseDuration, takeover.ExpiresAt);
        Assert.Equal(JobStatus.InProgress, takeover.Job.Status);
        Assert.Equal(first.Job.StartedAt, takeover.Job.StartedAt);
        Assert.Null(await Store.AcquireNextAsync("w3", LeaseDuration, None));
    }

    [Fact]
    public async Task A_renewed_lease_holds_past_its_first_expiry()
    {
        await CreateAsync(Ou);
        var lease = await AcquireAsync("w1");

        Time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(new LeaseRenewal(Held: true, CancelRequested: false), await Store.RenewLeaseAsync(lease, LeaseDuration, None));

        Time.Advance(TimeSpan.FromSeconds(50));
        Assert.Null(await Store.AcquireNextAsync("w2", LeaseDuration, None));

        Time.Advance(TimeSpan.FromSeconds(11));
        Assert.NotNull(await Store.AcquireNextAsync("w2", LeaseDuration, None));
    }

    [Fact]
    public async Task A_lease_taken_over_is_lost_to_its_first_worker()
    {
        var job = await CreateAsync(Ou);
        var first = await AcquireAsync("w1");
        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        var second = await AcquireAsync("w2");

        Assert.False((await Store.RenewLeaseAsync(first, LeaseDuration, None)).Held);
        Assert.False(await Store.FinishAsync(first, JobStatus.Completed, null, None));
        Assert.Equal(JobStatus.InProgress, (await Store.GetAsync(Ou, job.JobId, 0, None))?.Status);

        Assert.True((await Store.RenewLeaseAsync(second, LeaseDuration, None)).Held);
        Assert.True(await Store.FinishAsync(second, JobStatus.Completed, null, None));
        Assert.Equal(JobStatus.Completed, (await Store.GetAsync(Ou, job.JobId, 0, None))?.Status);
    }

    [Fact]
    public async Task A_released_lease_lets_another_worker_take_the_job_at_once()
    {
        var job = await CreateAsync(Ou);
        var first = await AcquireAsync("w1");

        await Store.ReleaseLeaseAsync(first, None);

        var stored = await Store.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(JobStatus.InProgress, stored?.Status);
        Assert.Equal(first.Job.StartedAt, stored?.StartedAt);
        var second = await AcquireAsync("w2");
        Assert.Equal(job.JobId, second.Job.JobId);
        Assert.Equal(first.Job.StartedAt, second.Job.StartedAt);
        Assert.False((await Store.RenewLeaseAsync(first, LeaseDuration, None)).Held);
        Assert.True((await Store.RenewLeaseAsync(second, LeaseDuration, None)).Held);
    }

    [Fact]
    public async Task Workers_take_ous_in_turn_and_the_oldest_job_first_within_an_ou()
    {
        var a1 = await CreateAsync(Ou);
        var a2 = await CreateAsync(Ou);
        var a3 = await CreateAsync(Ou);
        var b1 = await CreateAsync(OtherOu);

        var order = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            order.Add((await AcquireAsync($"w{i}")).Job.JobId);
        }

        Assert.Null(await Store.AcquireNextAsync("w9", LeaseDuration, None));
        Assert.InRange(order.IndexOf(b1.JobId), 0, 1);
        Assert.Equal([a1.JobId, a2.JobId, a3.JobId], order.Where(id => id != b1.JobId));
    }

    [Fact]
    public async Task An_ou_that_queues_later_is_served_before_another_ous_backlog()
    {
        var a1 = await CreateAsync(Ou);
        var a2 = await CreateAsync(Ou);
        await CreateAsync(Ou);
        Assert.Equal(a1.JobId, (await AcquireAsync("w1")).Job.JobId);
        var b1 = await CreateAsync(OtherOu);

        Assert.Equal(b1.JobId, (await AcquireAsync("w2")).Job.JobId);
        Assert.Equal(a2.JobId, (await AcquireAsync("w3")).Job.JobId);
    }

    [Theory]
    [InlineData(JobStatus.Completed, null)]
    [InlineData(JobStatus.Failed, "The file is gone.")]
    [InlineData(JobStatus.Cancelled, null)]
    public async Task Finishing_a_job_sets_its_final_status_and_ends_the_lease(JobStatus status, string? failureReason)
    {
        var job = await CreateAsync(Ou);
        var lease = await AcquireAsync("w1");
        Time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(await Store.FinishAsync(lease, status, failureReason, None));

        var stored = await Store.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(status, stored?.Status);
        Assert.Equal(Time.GetUtcNow(), stored?.CompletedAt);
        Assert.Equal(lease.Job.StartedAt, stored?.StartedAt);
        Assert.Equal(failureReason, stored?.FailureReason);
        Assert.False((await Store.RenewLeaseAsync(lease, LeaseDuration, None)).Held);
    }

    [Fact]
    public async Task A_stall_is_recorded_on_the_running_job_and_cleared_when_it_goes_on()
    {
        var job = await CreateAsync(Ou);
        var lease = await AcquireAsync("w1");
        var stall = new JobStall(Time.GetUtcNow(), "The database is locked by another connection or process.");

        Assert.True(await Store.SetStallAsync(lease, stall, None));

        var stalled = await Store.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(stall, stalled?.Stall);
        Assert.Equal(JobStatus.InProgress, stalled?.Status);
        Assert.Equal(stall, (await Store.ListAsync(Ou, 1, 10, None)).Items.Single().Stall);
        Assert.True((await Store.RenewLeaseAsync(lease, LeaseDuration, None)).Held);

        Assert.True(await Store.SetStallAsync(lease, null, None));

        Assert.Null((await Store.GetAsync(Ou, job.JobId, 0, None))?.Stall);
    }

    [Fact]
    public async Task Only_the_lease_holder_records_a_stall_and_finishing_clears_it()
    {
        var job = await CreateAsync(Ou);
        var first = await AcquireAsync("w1");
        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        var second = await AcquireAsync("w2");
        var stall = new JobStall(Time.GetUtcNow(), "The disk holding the database is full.");

        Assert.False(await Store.SetStallAsync(first, stall, None));
        Assert.Null((await Store.GetAsync(Ou, job.JobId, 0, None))?.Stall);
        Assert.True(await Store.SetStallAsync(second, stall, None));
        Assert.True(await Store.FinishAsync(second, JobStatus.Completed, null, None));

        Assert.Null((await Store.GetAsync(Ou, job.JobId, 0, None))?.Stall);
        Assert.False(await Store.SetStallAsync(second, stall, None));
    }

    [Fact]
    public async Task A_finished_job_never_moves_backward()
    {
        var job = await CreateAsync(Ou);
        var lease = await AcquireAsync("w1");
        Assert.True(await Store.FinishAsync(lease, JobStatus.Completed, null, None));
        var completedAt = Time.GetUtcNow();

        Time.Advance(TimeSpan.FromHours(1));

        Assert.Null(await Store.AcquireNextAsync("w2", LeaseDuration, None));
        Assert.False(await Store.FinishAsync(lease, JobStatus.Failed, "late", None));
        var cancel = await Store.RequestCancelAsync(Ou, job.JobId, None);
        Assert.Equal(CancelStatus.AlreadyFinished, cancel.Status);
        Assert.Equal(JobStatus.Completed, cancel.Job?.Status);
        var stored = await Store.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(JobStatus.Completed, stored?.Status);
        Assert.Equal(completedAt, stored?.CompletedAt);
        Assert.False(stored?.CancelRequested);
        Assert.Null(stored?.FailureReason);
    }

    [Fact]
    public async Task Cancelling_a_queued_job_cancels_it_at_once()
    {
        var job = await CreateAsync(Ou);

        var outcome = await Store.RequestCancelAsync(Ou, job.JobId, None);

        Assert.Equal(CancelStatus.Cancelled, outcome.Status);
        Assert.Equal(JobStatus.Cancelled, outcome.Job?.Status);
        Assert.Equal(Time.GetUtcNow(), outcome.Job?.CompletedAt);
        var stored = await Store.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(JobStatus.Cancelled, stored?.Status);
        Assert.Equal(Time.GetUtcNow(), stored?.CompletedAt);
        Assert.Null(stored?.StartedAt);
        Assert.Null(await Store.AcquireNextAsync("w1", LeaseDuration, None));
        Assert.Equal(CancelStatus.AlreadyFinished, (await Store.RequestCancelAsync(Ou, job.JobId, None)).Status);
    }

    [Fact]
    public async Task Cancelling_a_running_job_asks_its_worker_to_stop()
    {
        var job = await CreateAsync(Ou);
        var lease = await AcquireAsync("w1");

        var outcome = await Store.RequestCancelAsync(Ou, job.JobId, None);

        Assert.Equal(CancelStatus.Requested, outcome.Status);
        Assert.Equal(JobStatus.InProgress, outcome.Job?.Status);
        Assert.True(outcome.Job?.CancelRequested);
        var stored = await Store.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(JobStatus.InProgress, stored?.Status);
        Assert.True(stored?.CancelRequested);
        Assert.Null(stored?.CompletedAt);
        Assert.Equal(new LeaseRenewal(Held: true, CancelRequested: true), await Store.RenewLeaseAsync(lease, LeaseDuration, None));

        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        var takeover = await AcquireAsync("w2");
        Assert.True(takeover.Job.CancelRequested);

        Assert.True(await Store.FinishAsync(takeover, JobStatus.Cancelled, null, None));
        Assert.Equal(JobStatus.Cancelled, (await Store.GetAsync(Ou, job.JobId, 0, None))?.Status);
    }

    [Fact]
    public async Task Only_a_finished_job_can_be_deleted()
    {
        var running = await CreateAsync(Ou);
        var lease = await AcquireAsync("w1");
        var queued = await CreateAsync(Ou);

        Assert.Equal(DeleteOutcome.NotFinished, await Store.DeleteAsync(Ou, queued.JobId, None));
        Assert.Equal(DeleteOutcome.NotFinished, await Store.DeleteAsync(Ou, running.JobId, None));
        Assert.Equal(JobStatus.Queued, (await Store.GetAsync(Ou, queued.JobId, 0, None))?.Status);
        Assert.Equal(JobStatus.InProgress, (await Store.GetAsync(Ou, running.JobId, 0, None))?.Status);

        Assert.True(await Store.FinishAsync(lease, JobStatus.Completed, null, None));

        Assert.Equal(DeleteOutcome.Deleted, await Store.DeleteAsync(Ou, running.JobId, None));
        Assert.Null(await Store.GetAsync(Ou, running.JobId, 100, None));
        Assert.Null(await Store.FindByFileAsync(Ou, running.FileId, None));
        Assert.Null(await Store.ListErrorsAsync(Ou, running.JobId, 1, 10, None));
        Assert.Equal([queued.JobId], (await Store.ListAsync(Ou, 1, 10, None)).Items.Select(j => j.JobId));
        Assert.Equal(DeleteOutcome.NotFound, await Store.DeleteAsync(Ou, running.JobId, None));
    }

    [Fact]
    public async Task The_purge_deletes_only_jobs_finished_before_the_cutoff()
    {
        var completedEarly = await CreateAsync(Ou);
        Assert.True(await Store.FinishAsync(await AcquireAsync("w1"), JobStatus.Completed, null, None));
        var cancelledEarly = await CreateAsync(OtherOu);
        await Store.RequestCancelAsync(OtherOu, cancelledEarly.JobId, None);
        Time.Advance(TimeSpan.FromMinutes(5));
        var cutoff = Time.GetUtcNow();

        Time.Advance(TimeSpan.FromMinutes(5));
        var failedLater = await CreateAsync(Ou);
        Assert.True(await Store.FinishAsync(await AcquireAsync("w2"), JobStatus.Failed, "The file is gone.", None));
        var failedAt = Time.GetUtcNow();
        var running = await CreateAsync(Ou);
        await AcquireAsync("w3");
        var queued = await CreateAsync(Ou);

        Assert.Equal(2, await Store.PurgeFinishedAsync(cutoff, None));

        Assert.Null(await Store.GetAsync(Ou, completedEarly.JobId, 0, None));
        Assert.Null(await Store.GetAsync(OtherOu, cancelledEarly.JobId, 0, None));
        Assert.NotNull(await Store.GetAsync(Ou, failedLater.JobId, 0, None));
        Assert.NotNull(await Store.GetAsync(Ou, running.JobId, 0, None));
        Assert.NotNull(await Store.GetAsync(Ou, queued.JobId, 0, None));

        Assert.Equal(0, await Store.PurgeFinishedAsync(failedAt, None));
        Time.Advance(TimeSpan.FromDays(60));
        Assert.Equal(1, await Store.PurgeFinishedAsync(Time.GetUtcNow(), None));
        Assert.Null(await Store.GetAsync(Ou, failedLater.JobId, 0, None));
        Assert.Equal([queued.JobId, running.JobId], (await Store.ListAsync(Ou, 1, 10, None)).Items.Select(j => j.JobId));
    }

    /// <summary>Creates a queued job, then moves the clock on a second so creation order is also time order.</summary>
    private async Task<ImportJob> CreateAsync(string ou, int quota = Quota)
    {
        var job = NewJob(ou, Time.GetUtcNow());
        var creation = await Store.CreateAsync(job, quota, None);
        Assert.Equal(JobCreationStatus.Created, creation.Status);
        Time.Advance(TimeSpan.FromSeconds(1));
        return job;
    }

    private async Task<JobLease> AcquireAsync(string workerId)
    {
        var lease = await Store.AcquireNextAsync(workerId, LeaseDuration, None);
        Assert.NotNull(lease);
        return lease;
    }

    private static ImportJob DryRun(ImportJob job) => job with { Settings = job.Settings with { DryRun = true } };
}
