using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;
using static Kenbun.LeadImport.Testing.StoreTestData;

namespace Kenbun.LeadImport.Testing;

/// <summary>
/// What the operations of every <see cref="LeadImportStorage"/> that span files, jobs and leads must do: each atomic,
/// each with its cascade. A store that leaks a file, or creates a job without its file, fails here.
/// </summary>
public abstract class StorageOperationTests : StorageTests
{
    [Fact]
    public async Task A_real_import_created_takes_its_file_over_and_a_refused_one_leaves_nothing()
    {
        // CONTRACT §3: once started, the real import's job owns its copy of the file.
        var file = await PublishAsync(await WriteAsync());
        var expired = await PublishAsync(await WriteAsync());
        var job = NewJob(Ou, Time.GetUtcNow(), file.FileId);
        var tooLate = NewJob(Ou, Time.GetUtcNow(), expired.FileId);
        Time.Advance(TimeSpan.FromMinutes(30));
        var created = await Storage.CreateJobAsync(job, Quota, None);
        Time.Advance(TimeSpan.FromMinutes(31));

        var refused = await Storage.CreateJobAsync(tooLate, Quota, None);

        Assert.Equal(JobCreationStatus.Created, created.Status);
        Assert.Equal(job.JobId, (await Files.FindAsync(Ou, file.FileId, None))?.JobId);
        Assert.Equal(new JobCreation(JobCreationStatus.FileNotFound, null), refused);
        Assert.Null(await Jobs.GetAsync(Ou, tooLate.JobId, 0, None));
        Assert.Equal([job.JobId], (await Jobs.ListAsync(Ou, 1, 10, None)).Items.Select(j => j.JobId));
    }

    [Fact]
    public async Task A_job_refused_for_the_quota_leaves_its_file_a_preview()
    {
        var first = await CreateJobAsync(NewJob(Ou, Time.GetUtcNow()), quota: 1);
        var file = await PublishAsync(await WriteAsync());

        var refused = await Storage.CreateJobAsync(NewJob(Ou, Time.GetUtcNow(), file.FileId), 1, None);

        Assert.Equal(JobCreationStatus.Created, first.Status);
        Assert.Equal(JobCreationStatus.QuotaExceeded, refused.Status);
        Assert.Null((await Files.FindAsync(Ou, file.FileId, None))?.JobId);
        Assert.Equal(1, (await Files.GetPreviewUsageAsync(Ou, None)).Count);
    }

    [Theory]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Cancelled)]
    public async Task Finishing_a_real_import_deletes_its_file(JobStatus status)
    {
        var job = await CreateAsync(NewJob(Ou, Time.GetUtcNow()));
        var lease = (await Jobs.AcquireNextAsync("w1", LeaseDuration, None))!;

        Assert.True(await Storage.FinishJobAsync(lease, status, null, None));

        Assert.Null(await Files.FindAsync(Ou, job.FileId, None));
        Assert.Null(await Files.OpenContentAsync(Ou, job.FileId, None));
    }

    [Fact]
    public async Task Finishing_a_dry_run_leaves_the_preview_for_the_real_import()
    {
        var dryRun = await CreateAsync(DryRun(NewJob(Ou, Time.GetUtcNow())));
        var lease = (await Jobs.AcquireNextAsync("w1", LeaseDuration, None))!;

        Assert.True(await Storage.FinishJobAsync(lease, JobStatus.Completed, null, None));
        var real = await Storage.CreateJobAsync(NewJob(Ou, Time.GetUtcNow(), dryRun.FileId), Quota, None);

        Assert.Equal(JobCreationStatus.Created, real.Status);
        Assert.NotNull(await ReadContentAsync(Ou, dryRun.FileId));
    }

    [Fact]
    public async Task A_lease_no_longer_held_finishes_nothing_and_deletes_nothing()
    {
        var job = await CreateAsync(NewJob(Ou, Time.GetUtcNow()));
        var first = (await Jobs.AcquireNextAsync("w1", LeaseDuration, None))!;
        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        await Jobs.AcquireNextAsync("w2", LeaseDuration, None);

        Assert.False(await Storage.FinishJobAsync(first, JobStatus.Completed, null, None));

        Assert.Equal(job.JobId, (await Files.FindAsync(Ou, job.FileId, None))?.JobId);
        Assert.Equal(JobStatus.InProgress, (await Jobs.GetAsync(Ou, job.JobId, 0, None))?.Status);
    }

    [Fact]
    public async Task Cancelling_a_queued_real_import_deletes_its_file_and_a_queued_dry_run_keeps_the_preview()
    {
        var real = await CreateAsync(NewJob(Ou, Time.GetUtcNow()));
        var dryRun = await CreateAsync(DryRun(NewJob(Ou, Time.GetUtcNow())));

        Assert.Equal(CancelStatus.Cancelled, (await Storage.CancelJobAsync(Ou, real.JobId, None)).Status);
        Assert.Equal(CancelStatus.Cancelled, (await Storage.CancelJobAsync(Ou, dryRun.JobId, None)).Status);

        Assert.Null(await Files.OpenContentAsync(Ou, real.FileId, None));
        Assert.NotNull(await Files.FindAsync(Ou, dryRun.FileId, None));
    }

    [Fact]
    public async Task Cancelling_a_running_job_keeps_its_file_until_it_stops()
    {
        var job = await CreateAsync(NewJob(Ou, Time.GetUtcNow()));
        var lease = (await Jobs.AcquireNextAsync("w1", LeaseDuration, None))!;

        Assert.Equal(CancelStatus.Requested, (await Storage.CancelJobAsync(Ou, job.JobId, None)).Status);
        Assert.NotNull(await ReadContentAsync(Ou, job.FileId));
        Assert.True(await Storage.FinishJobAsync(lease, JobStatus.Cancelled, null, None));

        Assert.Null(await Files.OpenContentAsync(Ou, job.FileId, None));
    }

    [Fact]
    public async Task Deleting_a_finished_job_deletes_its_errors_warnings_and_file()
    {
        // CONTRACT §6: a deleted job leaves none of its errors, warnings or failed rows.
        var job = await CreateAsync(NewJob(Ou, Time.GetUtcNow()));
        var lease = (await Jobs.AcquireNextAsync("w1", LeaseDuration, None))!;
        var checkpoint = Checkpoint(lease.LeaseHolder, default, created: 0, errors: [Error(1), Error(3)], warnings: [Warning(2)]);
        Assert.Equal(BatchCommitStatus.Committed, (await Storage.CommitBatchAsync(Ou, job.JobId, [], checkpoint, None)).Status);
        Assert.True(await Storage.FinishJobAsync(lease, JobStatus.Completed, null, None));

        Assert.Equal(DeleteOutcome.Deleted, await Storage.DeleteJobAsync(Ou, job.JobId, None));

        Assert.Null(await Jobs.GetAsync(Ou, job.JobId, 100, None));
        Assert.Null(await Jobs.ListErrorsAsync(Ou, job.JobId, 1, 10, None));
        Assert.Null(await Jobs.ListErrorsAfterAsync(Ou, job.JobId, 0, 10, None));
        Assert.Null(await Jobs.FindByFileAsync(Ou, job.FileId, None));
        Assert.Null(await Files.OpenContentAsync(Ou, job.FileId, None));
    }

    [Fact]
    public async Task The_sweep_purges_jobs_finished_before_the_cutoff_with_everything_they_own()
    {
        var old = await CreateAsync(NewJob(Ou, Time.GetUtcNow()));
        var lease = (await Jobs.AcquireNextAsync("w1", LeaseDuration, None))!;
        var checkpoint = Checkpoint(lease.LeaseHolder, default, created: 0, errors: [Error(1)], warnings: [Warning(1)]);
        Assert.Equal(BatchCommitStatus.Committed, (await Storage.CommitBatchAsync(Ou, old.JobId, [], checkpoint, None)).Status);
        Assert.True(await Storage.FinishJobAsync(lease, JobStatus.Completed, null, None));
        Time.Advance(TimeSpan.FromDays(31));
        var queued = await CreateAsync(NewJob(Ou, Time.GetUtcNow()));

        var swept = await Storage.SweepAsync(Time.GetUtcNow() - TimeSpan.FromDays(30), None);

        Assert.Equal(1, swept.PurgedJobs);
        Assert.Null(await Jobs.GetAsync(Ou, old.JobId, 100, None));
        Assert.Null(await Jobs.ListErrorsAfterAsync(Ou, old.JobId, 0, 10, None));
        Assert.Equal(JobStatus.Queued, (await Jobs.GetAsync(Ou, queued.JobId, 0, None))?.Status);
        Assert.NotNull(await ReadContentAsync(Ou, queued.FileId));
    }

    [Fact]
    public async Task The_sweep_deletes_expired_previews_and_uploads_of_every_ou_but_no_file_a_job_reads()
    {
        var expiredPreview = await PublishAsync(await WriteAsync());
        var expiredUpload = await WriteAsync(OtherOu);
        var owned = await CreateAsync(NewJob(Ou, Time.GetUtcNow()));
        var dryRun = await CreateAsync(DryRun(NewJob(OtherOu, Time.GetUtcNow())));
        Time.Advance(TimeSpan.FromHours(2));
        var fresh = await PublishAsync(await WriteAsync());

        var swept = await Storage.SweepAsync(DateTimeOffset.MinValue, None);

        Assert.Equal((2, 0), (swept.DeletedFiles, swept.PurgedJobs));
        Assert.Null(await Files.OpenContentAsync(Ou, expiredPreview.FileId, None));
        Assert.Null(await Files.OpenContentAsync(OtherOu, expiredUpload, None));
        Assert.NotNull(await ReadContentAsync(Ou, owned.FileId));
        Assert.NotNull(await ReadContentAsync(OtherOu, dryRun.FileId));
        Assert.NotNull(await Files.FindAsync(Ou, fresh.FileId, None));
    }

    /// <summary>Creates a job with a preview of its own, asserting it was created.</summary>
    private async Task<ImportJob> CreateAsync(ImportJob job)
    {
        Assert.Equal(JobCreationStatus.Created, (await CreateJobAsync(job)).Status);
        return job;
    }
}
