using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;
using static Kenbun.LeadImport.Testing.StoreTestData;

namespace Kenbun.LeadImport.Testing;

/// <summary>
/// What the jobs of every <see cref="LeadImportStorage"/> must do: creation with its file, reads, leases, finishing,
/// cancelling, deleting and the purge. Errors and warnings reach a job through
/// <see cref="LeadImportStorage.CommitBatchAsync"/>, so the tests of their paging are in <see cref="LeadStoreTests"/>.
/// </summary>
public abstract class JobStoreTests : StorageTests
{
    [Fact]
    public async Task A_created_job_is_queued_and_reads_back_with_its_settings()
    {
        var job = NewJob(Ou, Time.GetUtcNow());

        var creation = await CreateJobAsync(job, Quota);

        Assert.Equal(JobCreationStatus.Created, creation.Status);
        AssertSameJob(job, creation.Job);
        var stored = await Jobs.GetAsync(Ou, job.JobId, 100, None);
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
        AssertSameJob(job, await Jobs.FindByFileAsync(Ou, job.FileId, None));
    }

    [Fact]
    public async Task Who_started_a_job_stays_with_it_through_every_change_and_a_job_started_by_no_one_has_none()
    {
        // The job's other data is written again as it runs, is cancelled and finishes; who started it must stay as it was.
        var named = NewJob(Ou, Time.GetUtcNow()) with { CreatedBy = "Zoë Müller <zoe@example.com>" };
        var anonymous = NewJob(Ou, Time.GetUtcNow()) with { CreatedBy = null };
        Assert.Equal(JobCreationStatus.Created, (await CreateJobAsync(named, Quota)).Status);
        Assert.Equal(JobCreationStatus.Created, (await CreateJobAsync(anonymous, Quota)).Status);

        var lease = await AcquireAsync("w1");
        Assert.Equal(CancelStatus.Requested, (await Storage.CancelJobAsync(Ou, lease.Job.JobId, None)).Status);
        Assert.True(await Storage.FinishJobAsync(lease, JobStatus.Cancelled, null, None));
        var second = await AcquireAsync("w2");
        Assert.True(await Storage.FinishJobAsync(second, JobStatus.Completed, null, None));

        Assert.Equal(named.CreatedBy, lease.Job.JobId == named.JobId ? lease.Job.CreatedBy : second.Job.CreatedBy);
        Assert.Equal(named.CreatedBy, (await Jobs.GetAsync(Ou, named.JobId, 10, None))?.CreatedBy);
        Assert.Equal(named.CreatedBy, (await Jobs.FindByFileAsync(Ou, named.FileId, None))?.CreatedBy);
        Assert.Null((await Jobs.GetAsync(Ou, anonymous.JobId, 10, None))?.CreatedBy);
        var listed = (await Jobs.ListAsync(Ou, 1, 10, None)).Items.ToDictionary(j => j.JobId, j => j.CreatedBy);
        Assert.Equal(named.CreatedBy, listed[named.JobId]);
        Assert.Null(listed[anonymous.JobId]);
    }

    [Fact]
    public async Task A_file_starts_one_job()
    {
        var first = await CreateAsync(Ou);
        var second = NewJob(Ou, Time.GetUtcNow(), first.FileId);

        var creation = await CreateJobAsync(second, Quota);

        Assert.Equal(JobCreationStatus.FileAlreadyStarted, creation.Status);
        Assert.Equal(first.JobId, creation.Job?.JobId);
        Assert.Null(await Jobs.GetAsync(Ou, second.JobId, 0, None));
        Assert.Equal(1, (await Jobs.ListAsync(Ou, 1, 10, None)).Total);
    }

    [Fact]
    public async Task Dry_runs_never_conflict_and_none_follows_the_real_import()
    {
        // CONTRACT §3: a file may be dry-run any number of times until its real import starts; after it, a 409.
        var fileId = ImportIds.NewFileId();
        var firstDryRun = DryRun(NewJob(Ou, Time.GetUtcNow(), fileId));
        var secondDryRun = DryRun(NewJob(Ou, Time.GetUtcNow(), fileId));
        var real = NewJob(Ou, Time.GetUtcNow(), fileId);

        Assert.Equal(JobCreationStatus.Created, (await CreateJobAsync(firstDryRun, Quota)).Status);
        Assert.Equal(JobCreationStatus.Created, (await CreateJobAsync(secondDryRun, Quota)).Status);
        Assert.Null(await Jobs.FindByFileAsync(Ou, fileId, None));
        Assert.Equal(JobCreationStatus.Created, (await CreateJobAsync(real, Quota)).Status);
        var lateDryRun = await CreateJobAsync(DryRun(NewJob(Ou, Time.GetUtcNow(), fileId)), Quota);
        var secondReal = await CreateJobAsync(NewJob(Ou, Time.GetUtcNow(), fileId), Quota);

        Assert.Equal((JobCreationStatus.FileAlreadyStarted, real.JobId), (lateDryRun.Status, lateDryRun.Job?.JobId));
        Assert.Equal((JobCreationStatus.FileAlreadyStarted, real.JobId), (secondReal.Status, secondReal.Job?.JobId));
        AssertSameJob(real, await Jobs.FindByFileAsync(Ou, fileId, None));
        AssertSameJob(firstDryRun, await Jobs.GetAsync(Ou, firstDryRun.JobId, 0, None));
    }

    [Fact]
    public async Task Of_concurrent_creations_for_one_file_exactly_one_wins()
    {
        var fileId = (await PublishAsync(await WriteAsync())).FileId;
        var now = Time.GetUtcNow();

        var creations = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            Task.Run(async () => await Storage.CreateJobAsync(NewJob(Ou, now, fileId), Quota, None))));

        var winner = Assert.Single(creations, c => c.Status == JobCreationStatus.Created);
        Assert.All(creations.Where(c => c != winner), c =>
        {
            Assert.Equal(JobCreationStatus.FileAlreadyStarted, c.Status);
            Assert.Equal(winner.Job!.JobId, c.Job?.JobId);
        });
        Assert.Equal(1, (await Jobs.ListAsync(Ou, 1, 100, None)).Total);
    }

    [Fact]
    public async Task A_file_id_of_another_ou_does_not_reveal_its_job()
    {
        var theirs = await CreateAsync(OtherOu);
        var ours = NewJob(Ou, Time.GetUtcNow(), theirs.FileId);

        var creation = await CreateJobAsync(ours, Quota);

        Assert.Equal(JobCreationStatus.Created, creation.Status);
        Assert.Equal(ours.JobId, creation.Job?.JobId);
        Assert.Equal(ours.JobId, (await Jobs.FindByFileAsync(Ou, theirs.FileId, None))?.JobId);
        Assert.Equal(theirs.JobId, (await Jobs.FindByFileAsync(OtherOu, theirs.FileId, None))?.JobId);
    }

    [Fact]
    public async Task An_ou_queues_at_most_its_quota_of_jobs_and_other_ous_are_unaffected()
    {
        const int quota = 2;
        var first = await CreateAsync(Ou, quota);
        await CreateAsync(Ou, quota);
        var refused = NewJob(Ou, Time.GetUtcNow());

        var creation = await CreateJobAsync(refused, quota);

        Assert.Equal(new JobCreation(JobCreationStatus.QuotaExceeded, null), creation);
        Assert.Null(await Jobs.GetAsync(Ou, refused.JobId, 0, None));
        Assert.Null(await Jobs.FindByFileAsync(Ou, refused.FileId, None));
        await CreateAsync(OtherOu, quota);
        await CreateAsync(OtherOu, quota);
        Assert.Equal(2, (await Jobs.ListAsync(Ou, 1, 10, None)).Total);
    }

    [Fact]
    public async Task Only_queued_jobs_count_against_the_quota()
    {
        const int quota = 2;
        var running = await CreateAsync(Ou, quota);
        Assert.Equal(running.JobId, (await AcquireAsync("w1")).Job.JobId);
        await CreateAsync(Ou, quota);
        var cancelled = await CreateAsync(Ou, quota);
        Assert.Equal(JobCreationStatus.QuotaExceeded, (await CreateJobAsync(NewJob(Ou, Time.GetUtcNow()), quota)).Status);

        Assert.Equal(CancelStatus.Cancelled, (await Storage.CancelJobAsync(Ou, cancelled.JobId, None)).Status);

        await CreateAsync(Ou, quota);
        Assert.Equal(JobCreationStatus.QuotaExceeded, (await CreateJobAsync(NewJob(Ou, Time.GetUtcNow()), quota)).Status);
    }

    [Fact]
    public async Task Jobs_of_another_ou_do_not_exist()
    {
        var queued = await CreateAsync(Ou);
        var finished = await CreateAsync(Ou);
        await Storage.CancelJobAsync(Ou, finished.JobId, None);

        Assert.Null(await Jobs.GetAsync(OtherOu, queued.JobId, 100, None));
        Assert.Null(await Jobs.FindByFileAsync(OtherOu, queued.FileId, None));
        Assert.Null(await Jobs.ListErrorsAsync(OtherOu, queued.JobId, 1, 10, None));
        var list = await Jobs.ListAsync(OtherOu, 1, 10, None);
        Assert.Empty(list.Items);
        Assert.Equal(0, list.Total);
        Assert.Equal(new CancelOutcome(CancelStatus.NotFound, null), await Storage.CancelJobAsync(OtherOu, queued.JobId, None));
        Assert.Equal(DeleteOutcome.NotFound, await Storage.DeleteJobAsync(OtherOu, finished.JobId, None));

        Assert.Equal(JobStatus.Queued, (await Jobs.GetAsync(Ou, queued.JobId, 0, None))?.Status);
        Assert.Equal(JobStatus.Cancelled, (await Jobs.GetAsync(Ou, finished.JobId, 0, None))?.Status);
    }

    [Fact]
    public async Task Unknown_jobs_are_not_found()
    {
        var unknown = ImportIds.NewJobId();

        Assert.Null(await Jobs.GetAsync(Ou, unknown, 100, None));
        Assert.Null(await Jobs.FindByFileAsync(Ou, ImportIds.NewFileId(), None));
        Assert.Null(await Jobs.ListErrorsAsync(Ou, unknown, 1, 10, None));
        Assert.Equal(CancelStatus.NotFound, (await Storage.CancelJobAsync(Ou, unknown, None)).Status);
        Assert.Equal(DeleteOutcome.NotFound, await Storage.DeleteJobAsync(Ou, unknown, None));
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

        var first = await Jobs.ListAsync(Ou, 1, 2, None);
        var last = await Jobs.ListAsync(Ou, 3, 2, None);
        var beyond = await Jobs.ListAsync(Ou, 4, 2, None);
        var farBeyond = await Jobs.ListAsync(Ou, FarPage, FarPageLimit, None);

        Assert.Equal(newestFirst[..2], first.Items.Select(j => j.JobId));
        Assert.Equal((5L, 1, 2), (first.Total, first.PageNumber, first.Limit));
        Assert.Equal(newestFirst[4..], last.Items.Select(j => j.JobId));
        Assert.Equal((5L, 3, 2), (last.Total, last.PageNumber, last.Limit));
        Assert.Empty(beyond.Items);
        Assert.Equal(5, beyond.Total);
        Assert.Empty(farBeyond.Items);
        AssertSameJob(jobs[4], first.Items[0]);
    }

    [Fact]
    public async Task A_job_without_errors_has_an_empty_error_list()
    {
        var job = await CreateAsync(Ou);

        var errors = await Jobs.ListErrorsAsync(Ou, job.JobId, 1, 10, None);

        Assert.NotNull(errors);
        Assert.Empty(errors.Items);
        Assert.Equal((0L, 1, 10), (errors.Total, errors.PageNumber, errors.Limit));
    }

    [Fact]
    public async Task Acquiring_a_queued_job_starts_it_under_a_lease()
    {
        Assert.Null(await Jobs.AcquireNextAsync("w1", LeaseDuration, None));
        var job = await CreateAsync(Ou);
        var startedAt = Time.GetUtcNow();

        var lease = await AcquireAsync("w1");

        Assert.Equal("w1", lease.LeaseHolder);
        Assert.Equal(startedAt + LeaseDuration, lease.ExpiresAt);
        AssertSameJob(job, lease.Job);
        Assert.Equal(JobStatus.InProgress, lease.Job.Status);
        Assert.Equal(startedAt, lease.Job.StartedAt);
        Assert.Equal(default(JobCounters), lease.Job.Counters);
        var stored = await Jobs.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(JobStatus.InProgress, stored?.Status);
        Assert.Equal(startedAt, stored?.StartedAt);
        Assert.Null(stored?.CompletedAt);
        Assert.Null(await Jobs.AcquireNextAsync("w2", LeaseDuration, None));
    }

    [Fact]
    public async Task A_leased_job_is_taken_over_only_when_its_lease_lapses()
    {
        var job = await CreateAsync(Ou);
        var first = await AcquireAsync("w1");

        Time.Advance(LeaseDuration - TimeSpan.FromSeconds(1));
        Assert.Null(await Jobs.AcquireNextAsync("w2", LeaseDuration, None));

        Time.Advance(TimeSpan.FromSeconds(2));
        var takeover = await AcquireAsync("w2");

        Assert.Equal(job.JobId, takeover.Job.JobId);
        Assert.Equal("w2", takeover.LeaseHolder);
        Assert.Equal(Time.GetUtcNow() + LeaseDuration, takeover.ExpiresAt);
        Assert.Equal(JobStatus.InProgress, takeover.Job.Status);
        Assert.Equal(first.Job.StartedAt, takeover.Job.StartedAt);
        Assert.Null(await Jobs.AcquireNextAsync("w3", LeaseDuration, None));
    }

    [Fact]
    public async Task A_renewed_lease_holds_past_its_first_expiry()
    {
        await CreateAsync(Ou);
        var lease = await AcquireAsync("w1");

        Time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(new LeaseRenewal(Held: true, CancelRequested: false), await Jobs.RenewLeaseAsync(lease, LeaseDuration, None));

        Time.Advance(TimeSpan.FromSeconds(50));
        Assert.Null(await Jobs.AcquireNextAsync("w2", LeaseDuration, None));

        Time.Advance(TimeSpan.FromSeconds(11));
        Assert.NotNull(await Jobs.AcquireNextAsync("w2", LeaseDuration, None));
    }

    [Fact]
    public async Task A_lease_taken_over_is_lost_to_its_first_worker()
    {
        var job = await CreateAsync(Ou);
        var first = await AcquireAsync("w1");
        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        var second = await AcquireAsync("w2");

        Assert.False((await Jobs.RenewLeaseAsync(first, LeaseDuration, None)).Held);
        Assert.False(await Storage.FinishJobAsync(first, JobStatus.Completed, null, None));
        Assert.Equal(JobStatus.InProgress, (await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Status);

        Assert.True((await Jobs.RenewLeaseAsync(second, LeaseDuration, None)).Held);
        Assert.True(await Storage.FinishJobAsync(second, JobStatus.Completed, null, None));
        Assert.Equal(JobStatus.Completed, (await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Status);
    }

    [Fact]
    public async Task A_released_lease_lets_another_worker_take_the_job_at_once()
    {
        var job = await CreateAsync(Ou);
        var first = await AcquireAsync("w1");

        await Jobs.ReleaseLeaseAsync(first, None);

        var stored = await Jobs.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(JobStatus.InProgress, stored?.Status);
        Assert.Equal(first.Job.StartedAt, stored?.StartedAt);
        var second = await AcquireAsync("w2");
        Assert.Equal(job.JobId, second.Job.JobId);
        Assert.Equal(first.Job.StartedAt, second.Job.StartedAt);
        Assert.False((await Jobs.RenewLeaseAsync(first, LeaseDuration, None)).Held);
        Assert.True((await Jobs.RenewLeaseAsync(second, LeaseDuration, None)).Held);
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

        Assert.Null(await Jobs.AcquireNextAsync("w9", LeaseDuration, None));
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

        Assert.True(await Storage.FinishJobAsync(lease, status, failureReason, None));

        var stored = await Jobs.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(status, stored?.Status);
        Assert.Equal(Time.GetUtcNow(), stored?.CompletedAt);
        Assert.Equal(lease.Job.StartedAt, stored?.StartedAt);
        Assert.Equal(failureReason, stored?.FailureReason);
        Assert.False((await Jobs.RenewLeaseAsync(lease, LeaseDuration, None)).Held);
    }

    [Fact]
    public async Task A_stall_is_recorded_on_the_running_job_and_cleared_when_it_goes_on()
    {
        var job = await CreateAsync(Ou);
        var lease = await AcquireAsync("w1");
        var stall = new JobStall(Time.GetUtcNow(), "The database is locked by another connection or process.");

        Assert.True(await Jobs.SetStallAsync(lease, stall, None));

        var stalled = await Jobs.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(stall, stalled?.Stall);
        Assert.Equal(JobStatus.InProgress, stalled?.Status);
        Assert.Equal(stall, (await Jobs.ListAsync(Ou, 1, 10, None)).Items.Single().Stall);
        Assert.True((await Jobs.RenewLeaseAsync(lease, LeaseDuration, None)).Held);

        Assert.True(await Jobs.SetStallAsync(lease, null, None));

        Assert.Null((await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Stall);
    }

    [Fact]
    public async Task Only_the_lease_holder_records_a_stall_and_finishing_clears_it()
    {
        var job = await CreateAsync(Ou);
        var first = await AcquireAsync("w1");
        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        var second = await AcquireAsync("w2");
        var stall = new JobStall(Time.GetUtcNow(), "The disk holding the database is full.");

        Assert.False(await Jobs.SetStallAsync(first, stall, None));
        Assert.Null((await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Stall);
        Assert.True(await Jobs.SetStallAsync(second, stall, None));
        Assert.True(await Storage.FinishJobAsync(second, JobStatus.Completed, null, None));

        Assert.Null((await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Stall);
        Assert.False(await Jobs.SetStallAsync(second, stall, None));
    }

    [Fact]
    public async Task A_finished_job_never_moves_backward()
    {
        var job = await CreateAsync(Ou);
        var lease = await AcquireAsync("w1");
        Assert.True(await Storage.FinishJobAsync(lease, JobStatus.Completed, null, None));
        var completedAt = Time.GetUtcNow();

        Time.Advance(TimeSpan.FromHours(1));

        Assert.Null(await Jobs.AcquireNextAsync("w2", LeaseDuration, None));
        Assert.False(await Storage.FinishJobAsync(lease, JobStatus.Failed, "late", None));
        var cancel = await Storage.CancelJobAsync(Ou, job.JobId, None);
        Assert.Equal(CancelStatus.AlreadyFinished, cancel.Status);
        Assert.Equal(JobStatus.Completed, cancel.Job?.Status);
        var stored = await Jobs.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(JobStatus.Completed, stored?.Status);
        Assert.Equal(completedAt, stored?.CompletedAt);
        Assert.False(stored?.CancelRequested);
        Assert.Null(stored?.FailureReason);
    }

    [Fact]
    public async Task Cancelling_a_queued_job_cancels_it_at_once()
    {
        var job = await CreateAsync(Ou);

        var outcome = await Storage.CancelJobAsync(Ou, job.JobId, None);

        Assert.Equal(CancelStatus.Cancelled, outcome.Status);
        Assert.Equal(JobStatus.Cancelled, outcome.Job?.Status);
        Assert.Equal(Time.GetUtcNow(), outcome.Job?.CompletedAt);
        var stored = await Jobs.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(JobStatus.Cancelled, stored?.Status);
        Assert.Equal(Time.GetUtcNow(), stored?.CompletedAt);
        Assert.Null(stored?.StartedAt);
        Assert.Null(await Jobs.AcquireNextAsync("w1", LeaseDuration, None));
        Assert.Equal(CancelStatus.AlreadyFinished, (await Storage.CancelJobAsync(Ou, job.JobId, None)).Status);
    }

    [Fact]
    public async Task Cancelling_a_running_job_asks_its_worker_to_stop()
    {
        var job = await CreateAsync(Ou);
        var lease = await AcquireAsync("w1");

        var outcome = await Storage.CancelJobAsync(Ou, job.JobId, None);

        Assert.Equal(CancelStatus.Requested, outcome.Status);
        Assert.Equal(JobStatus.InProgress, outcome.Job?.Status);
        Assert.True(outcome.Job?.CancelRequested);
        var stored = await Jobs.GetAsync(Ou, job.JobId, 0, None);
        Assert.Equal(JobStatus.InProgress, stored?.Status);
        Assert.True(stored?.CancelRequested);
        Assert.Null(stored?.CompletedAt);
        Assert.Equal(new LeaseRenewal(Held: true, CancelRequested: true), await Jobs.RenewLeaseAsync(lease, LeaseDuration, None));

        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        var takeover = await AcquireAsync("w2");
        Assert.True(takeover.Job.CancelRequested);

        Assert.True(await Storage.FinishJobAsync(takeover, JobStatus.Cancelled, null, None));
        Assert.Equal(JobStatus.Cancelled, (await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Status);
    }

    [Fact]
    public async Task Only_a_finished_job_can_be_deleted()
    {
        var running = await CreateAsync(Ou);
        var lease = await AcquireAsync("w1");
        var queued = await CreateAsync(Ou);

        Assert.Equal(DeleteOutcome.NotFinished, await Storage.DeleteJobAsync(Ou, queued.JobId, None));
        Assert.Equal(DeleteOutcome.NotFinished, await Storage.DeleteJobAsync(Ou, running.JobId, None));
        Assert.Equal(JobStatus.Queued, (await Jobs.GetAsync(Ou, queued.JobId, 0, None))?.Status);
        Assert.Equal(JobStatus.InProgress, (await Jobs.GetAsync(Ou, running.JobId, 0, None))?.Status);

        Assert.True(await Storage.FinishJobAsync(lease, JobStatus.Completed, null, None));

        Assert.Equal(DeleteOutcome.Deleted, await Storage.DeleteJobAsync(Ou, running.JobId, None));
        Assert.Null(await Jobs.GetAsync(Ou, running.JobId, 100, None));
        Assert.Null(await Jobs.FindByFileAsync(Ou, running.FileId, None));
        Assert.Null(await Jobs.ListErrorsAsync(Ou, running.JobId, 1, 10, None));
        Assert.Equal([queued.JobId], (await Jobs.ListAsync(Ou, 1, 10, None)).Items.Select(j => j.JobId));
        Assert.Equal(DeleteOutcome.NotFound, await Storage.DeleteJobAsync(Ou, running.JobId, None));
    }

    [Fact]
    public async Task The_purge_deletes_only_jobs_finished_before_the_cutoff()
    {
        var completedEarly = await CreateAsync(Ou);
        Assert.True(await Storage.FinishJobAsync(await AcquireAsync("w1"), JobStatus.Completed, null, None));
        var cancelledEarly = await CreateAsync(OtherOu);
        await Storage.CancelJobAsync(OtherOu, cancelledEarly.JobId, None);
        Time.Advance(TimeSpan.FromMinutes(5));
        var cutoff = Time.GetUtcNow();

        Time.Advance(TimeSpan.FromMinutes(5));
        var failedLater = await CreateAsync(Ou);
        Assert.True(await Storage.FinishJobAsync(await AcquireAsync("w2"), JobStatus.Failed, "The file is gone.", None));
        var failedAt = Time.GetUtcNow();
        var running = await CreateAsync(Ou);
        await AcquireAsync("w3");
        var queued = await CreateAsync(Ou);

        Assert.Equal(2, (await Storage.SweepAsync(cutoff, None)).PurgedJobs);

        Assert.Null(await Jobs.GetAsync(Ou, completedEarly.JobId, 0, None));
        Assert.Null(await Jobs.GetAsync(OtherOu, cancelledEarly.JobId, 0, None));
        Assert.NotNull(await Jobs.GetAsync(Ou, failedLater.JobId, 0, None));
        Assert.NotNull(await Jobs.GetAsync(Ou, running.JobId, 0, None));
        Assert.NotNull(await Jobs.GetAsync(Ou, queued.JobId, 0, None));

        Assert.Equal(0, (await Storage.SweepAsync(failedAt, None)).PurgedJobs);
        Time.Advance(TimeSpan.FromDays(60));
        Assert.Equal(1, (await Storage.SweepAsync(Time.GetUtcNow(), None)).PurgedJobs);
        Assert.Null(await Jobs.GetAsync(Ou, failedLater.JobId, 0, None));
        Assert.Equal([queued.JobId, running.JobId], (await Jobs.ListAsync(Ou, 1, 10, None)).Items.Select(j => j.JobId));
    }

    /// <summary>Creates a queued job, then moves the clock on a second so creation order is also time order.</summary>
    private async Task<ImportJob> CreateAsync(string ou, int quota = Quota)
    {
        var job = NewJob(ou, Time.GetUtcNow());
        var creation = await CreateJobAsync(job, quota);
        Assert.Equal(JobCreationStatus.Created, creation.Status);
        Time.Advance(TimeSpan.FromSeconds(1));
        return job;
    }

    private async Task<JobLease> AcquireAsync(string workerId)
    {
        var lease = await Jobs.AcquireNextAsync(workerId, LeaseDuration, None);
        Assert.NotNull(lease);
        return lease;
    }

    [Fact]
    public async Task The_queue_status_counts_the_queued_jobs_of_every_ou_and_dates_the_oldest()
    {
        Assert.Equal(new JobQueueStatus(0, null), await Jobs.GetQueueStatusAsync(None));
        var created = Time.GetUtcNow();
        await CreateJobAsync(NewJob(Ou, created));
        Time.Advance(TimeSpan.FromMinutes(1));
        await CreateJobAsync(NewJob(OtherOu, Time.GetUtcNow()));
        Time.Advance(TimeSpan.FromMinutes(1));
        await CreateJobAsync(NewJob(Ou, Time.GetUtcNow()));

        var running = await Jobs.AcquireNextAsync("worker", TimeSpan.FromMinutes(1), None);

        Assert.Equal(created, running?.Job.CreatedAt);
        Assert.Equal(new JobQueueStatus(2, created.AddMinutes(1)), await Jobs.GetQueueStatusAsync(None));
    }
}
