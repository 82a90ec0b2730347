using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>CONTRACT §6, jobs: lifecycle, row numbers, counters, capped errors and warnings, cancel, delete, resume (storage failures: <see cref="StorageFailureRulesTests"/>).</summary>
public class JobRulesTests
{
    private static string Emails(int count, Func<int, string>? email = null) =>
        "Email\n" + string.Join("\n", Enumerable.Range(1, count).Select(email ?? (i => $"user{i}@x.com")));

    [Fact]
    public async Task Status_moves_forward_with_utc_timestamps_set_as_each_state_is_reached()
    {
        using var harness = new ImportHarness();
        var started = Assert.IsType<StartImportResult.Started>(await harness.StartAsync(Emails(3), ImportHost.ByEmail()));
        var queued = await harness.Service.GetJobAsync(ImportHarness.Ou, started.Job.JobId, CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        var done = await harness.RunNextJobAsync();

        Assert.Equal((JobStatus.Queued, null, null), (queued!.Status, queued.StartedAt, queued.CompletedAt));
        Assert.Equal(JobStatus.Completed, done.Status);
        Assert.Equal(queued.CreatedAt.AddSeconds(5), done.StartedAt);
        Assert.Equal(done.StartedAt, done.CompletedAt);
        Assert.Equal(TimeSpan.Zero, done.CreatedAt.Offset);
        Assert.False(await harness.Storage.FinishJobAsync(new JobLease(done, "test-worker", DateTimeOffset.MaxValue), JobStatus.Failed, null, CancellationToken.None));
    }

    [Fact]
    public async Task Row_numbers_count_data_rows_and_skip_blank_records()
    {
        using var harness = new ImportHarness();
        await harness.StartAsync("Email\n\nbad1\n,\n   \nann@x.com\n\"\"\nbad2\n", ImportHost.ByEmail());

        var job = await harness.RunNextJobAsync();

        Assert.Equal(3, job.TotalRows);
        Assert.Equal([1L, 3L], job.Errors.Select(e => e.Row));
    }

    [Fact]
    public async Task Counters_add_up_to_total_rows_when_completed()
    {
        using var harness = new ImportHarness(o => o.BatchSize = 3);
        await harness.StartAsync("Email\na@x.com\nb@x.com\na@x.com\nbad\n\nc@x.com\n", ImportHost.ByEmail());

        var job = await harness.RunNextJobAsync();

        Assert.Equal(new JobCounters(3, 1, 1, 0), job.Counters);
        Assert.Equal(job.TotalRows, job.Counters.Processed);
    }

    [Fact]
    public async Task Reading_all_errors_returns_each_once_in_row_order_across_store_pages()
    {
        // CONTRACT §6: the errors list and failed-rows.csv hold all errors in row order.
        using var harness = new ImportHarness(o => o.BatchSize = 64);
        var count = (LeadImportOptions.MaxPageSize * 2) + 7;
        var csv = "Email\n" + string.Join("\n", Enumerable.Range(1, count).Select(i => i % 3 == 0 ? $"ok{i}@x.com" : $"bad{i}"));
        var started = Assert.IsType<StartImportResult.Started>(await harness.StartAsync(csv, ImportHost.ByEmail()));
        await harness.RunNextJobAsync();

        var errors = new List<RowError>();
        await foreach (var error in harness.Service.ReadAllErrorsAsync(ImportHarness.Ou, started.Job.JobId, CancellationToken.None))
        {
            errors.Add(error);
        }

        Assert.Equal(Enumerable.Range(1, count).Where(i => i % 3 != 0).Select(i => (long)i), errors.Select(e => e.Row));
        Assert.Equal(Enumerable.Range(1, count).Where(i => i % 3 != 0).Select(i => $"bad{i}"), errors.Select(e => e.Value));
        await foreach (var error in harness.Service.ReadAllErrorsAsync("ou-other", started.Job.JobId, CancellationToken.None))
        {
            Assert.Fail($"Another OU read error of row {error.Row}.");
        }
    }

    [Fact]
    public async Task The_detail_holds_the_first_errors_and_warnings_and_paging_returns_all_in_row_order()
    {
        using var harness = new ImportHarness(o =>
        {
            o.MaxDetailItems = 3;
            o.BatchSize = 4;
        });
        var csv = "Email,Phone\n" + string.Join("\n", Enumerable.Range(1, 10).Select(i => $"bad{i},\nok{i}@x.com,nope{i}"));
        var started = Assert.IsType<StartImportResult.Started>(await harness.StartAsync(csv, ImportHost.ByEmail(aliases: new Dictionary<string, string?> { ["Phone"] = "_alias_phone" })));

        var job = await harness.RunNextJobAsync();
        var page1 = await harness.Service.ListErrorsAsync(ImportHarness.Ou, started.Job.JobId, 1, 4, CancellationToken.None);
        var page3 = await harness.Service.ListErrorsAsync(ImportHarness.Ou, started.Job.JobId, 3, 4, CancellationToken.None);

        Assert.Equal([1L, 3L, 5L], job.Errors.Select(e => e.Row));
        Assert.Equal([2L, 4L, 6L], job.Warnings.Select(w => w.Row));
        Assert.Equal(10, job.WarningCount);
        Assert.Equal(3, (await harness.Jobs.GetAsync(ImportHarness.Ou, started.Job.JobId, 100, CancellationToken.None))!.Warnings.Count);
        Assert.Equal(10, job.Counters.Failed);
        Assert.Equal(10, page1!.Total);
        Assert.Equal([1L, 3L, 5L, 7L], page1.Items.Select(e => e.Row));
        Assert.Equal([17L, 19L], page3!.Items.Select(e => e.Row));
        Assert.Null(await harness.Service.ListErrorsAsync("ou-other", started.Job.JobId, 1, 4, CancellationToken.None));
    }

    [Fact]
    public async Task The_job_list_is_newest_first_and_paged()
    {
        using var harness = new ImportHarness();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(Assert.IsType<StartImportResult.Started>(await harness.StartAsync(Emails(1), ImportHost.ByEmail())).Job.JobId);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await harness.Service.ListJobsAsync(ImportHarness.Ou, 1, 2, CancellationToken.None);
        var second = await harness.Service.ListJobsAsync(ImportHarness.Ou, 2, 2, CancellationToken.None);

        Assert.Equal(3, first.Total);
        Assert.Equal([ids[2], ids[1]], first.Items.Select(j => j.JobId));
        Assert.Equal([ids[0]], second.Items.Select(j => j.JobId));
        Assert.Equal(0, (await harness.Service.ListJobsAsync("ou-other", 1, 25, CancellationToken.None)).Total);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Service.ListJobsAsync(ImportHarness.Ou, 0, 25, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Service.ListJobsAsync(ImportHarness.Ou, 1, 101, CancellationToken.None));
    }

    [Fact]
    public async Task A_running_job_stops_at_its_next_batch_boundary_when_cancelled_and_keeps_what_it_applied()
    {
        string? jobId = null;
        ImportHarness? harness = null;
        harness = new ImportHarness(o => o.BatchSize = 10, services: s => FaultyStorage.Register(s, store => store.BeforeCommit = async attempt =>
        {
            if (attempt == 3)
            {
                var outcome = await harness!.Service.CancelJobAsync(ImportHarness.Ou, jobId!, CancellationToken.None);
                Assert.Equal(CancelStatus.Requested, outcome.Status);
                Assert.True(outcome.Job!.CancelRequested);
            }
        }));
        using var disposeHarness = harness;
        jobId = Assert.IsType<StartImportResult.Started>(await harness.StartAsync(Emails(100), ImportHost.ByEmail())).Job.JobId;

        var job = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.Equal(30, job.Counters.Created);
        Assert.NotNull(await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Email, "user30@x.com"), CancellationToken.None));
        Assert.Null(await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Email, "user31@x.com"), CancellationToken.None));
        Assert.Equal(CancelStatus.AlreadyFinished, (await harness.Service.CancelJobAsync(ImportHarness.Ou, jobId, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Only_a_finished_job_can_be_deleted_and_it_goes_with_its_errors()
    {
        using var harness = new ImportHarness();
        var started = Assert.IsType<StartImportResult.Started>(await harness.StartAsync("Email\nbad\n", ImportHost.ByEmail()));

        Assert.Equal(DeleteOutcome.NotFinished, await harness.Service.DeleteJobAsync(ImportHarness.Ou, started.Job.JobId, CancellationToken.None));
        await harness.RunNextJobAsync();
        Assert.Equal(DeleteOutcome.Deleted, await harness.Service.DeleteJobAsync(ImportHarness.Ou, started.Job.JobId, CancellationToken.None));

        Assert.Null(await harness.Service.GetJobAsync(ImportHarness.Ou, started.Job.JobId, CancellationToken.None));
        Assert.Null(await harness.Service.ListErrorsAsync(ImportHarness.Ou, started.Job.JobId, 1, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Finished_jobs_are_removed_after_the_retention_age()
    {
        using var harness = new ImportHarness(o => o.JobRetention = TimeSpan.FromDays(30));
        var started = Assert.IsType<StartImportResult.Started>(await harness.StartAsync(Emails(1), ImportHost.ByEmail()));
        await harness.RunNextJobAsync();

        harness.Time.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, (await harness.Storage.SweepAsync(harness.Time.GetUtcNow() - TimeSpan.FromDays(30), CancellationToken.None)).PurgedJobs);
        harness.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await harness.Storage.SweepAsync(harness.Time.GetUtcNow() - TimeSpan.FromDays(30), CancellationToken.None)).PurgedJobs);

        Assert.Null(await harness.Service.GetJobAsync(ImportHarness.Ou, started.Job.JobId, CancellationToken.None));
    }

    [Fact]
    public async Task A_job_whose_file_is_gone_ends_failed_with_a_reason()
    {
        using var harness = new ImportHarness();
        var started = Assert.IsType<StartImportResult.Started>(await harness.StartAsync(Emails(3), ImportHost.ByEmail()));
        await harness.Files.DeleteAsync(ImportHarness.Ou, started.Job.FileId, CancellationToken.None);

        var job = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("file", job.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopping_host_checkpoints_and_the_job_resumes_exactly_where_it_stopped()
    {
        using var stopping = new CancellationTokenSource();
        using var harness = new ImportHarness(o => o.BatchSize = 10, services: s => FaultyStorage.Register(s, store => store.BeforeCommit = async attempt =>
        {
            if (attempt == 4)
            {
                await stopping.CancelAsync();
            }
        }));
        var csv = "Email\n" + string.Join("\n", Enumerable.Range(0, 100).Select(i => $"user{i % 60}@x.com"));
        var started = Assert.IsType<StartImportResult.Started>(await harness.StartAsync(csv, ImportHost.ByEmail()));

        var interrupted = await harness.RunNextJobAsync(stopping.Token);

        Assert.Equal(JobStatus.InProgress, interrupted.Status);
        Assert.Null(interrupted.FailureReason);
        // CONTRACT §6: the batch being committed when the host stopped (rows 31–40) is finished, then the run ends.
        Assert.Equal(40, interrupted.Counters.Processed);

        var resumed = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Completed, resumed.Status);
        Assert.Equal(new JobCounters(60, 40, 0, 0), resumed.Counters);
        Assert.Equal(60, (await harness.Leads.ListAsync(ImportHarness.Ou, 1, 1000, CancellationToken.None)).Total);
        Assert.Equal(started.Job.JobId, resumed.JobId);
    }

    [Fact]
    public async Task A_million_row_file_imports_through_the_in_memory_stores()
    {
        const int rows = 1_000_000;
        using var harness = new ImportHarness(o => o.MaxFileBytes = 64 * 1024 * 1024);
        var text = new System.Text.StringBuilder("Email,Name\n", rows * 24);
        for (var i = 0; i < rows; i++)
        {
            text.Append("u").Append(i % 800_000).Append("@x.io,N").Append(i % 1000).Append('\n');
        }

        await harness.StartAsync(text.ToString(), ImportHost.ByEmail(fields: new Dictionary<string, string?> { ["Name"] = "first_name" }));
        var job = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(rows, job.TotalRows);
        Assert.Equal(new JobCounters(800_000, 200_000, 0, 0), job.Counters);
    }
}
