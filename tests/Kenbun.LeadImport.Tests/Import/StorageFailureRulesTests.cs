using System.Diagnostics.Metrics;
using Kenbun.LeadImport.Engine;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>
/// CONTRACT §6, the three classes of storage failure, as the store's classifier names them: an unavailable store stalls
/// the job, which goes on exactly when the store answers; a refused batch fails its rows after a few tries; a defect
/// fails the job at once. The clock is fake: the tests move it and wait for what they look for, never for time.
/// </summary>
public class StorageFailureRulesTests
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private static string Emails(int count) => "Email\n" + string.Join("\n", Enumerable.Range(1, count).Select(i => $"user{i}@x.com"));

    private static ImportHarness Harness(Action<FaultyStorage> faults, Action<LeadImportOptions>? configure = null) =>
        new(
            o =>
            {
                o.BatchSize = 2;
                o.StorageRetryMaxDelay = MaxDelay;
                configure?.Invoke(o);
            },
            services: s =>
            {
                FaultyStorage.Register(s, faults);
                s.AddHealthChecks().AddLeadImport();
                s.AddFakeLogging();
                s.AddMetrics();
            });

    [Theory]
    [InlineData("commit")]
    [InlineData("look-up")]
    public async Task An_unavailable_store_stalls_the_job_however_long_and_it_goes_on_exactly_where_it_was(string call)
    {
        var outage = true;
        FaultyStorage? faulty = null;
        using var harness = Harness(store =>
        {
            faulty = store;

            // The second batch's call fails for as long as the outage lasts.
            Func<int, StorageFailureKind?> fail = attempt => attempt >= 2 && Volatile.Read(ref outage) ? StorageFailureKind.Unavailable : null;
            if (call == "commit")
            {
                store.FailCommit = fail;
            }
            else
            {
                store.FailLookup = fail;
            }
        });
        var started = Assert.IsType<StartImportResult.Started>(await harness.StartAsync(Emails(5), ImportHost.ByEmail()));
        var stalledAt = harness.Time.GetUtcNow();
        var running = Task.Run(() => harness.RunNextJobAsync());

        // Recorded on the job in the store, which here can take the write.
        var recorded = await WaitForJobAsync(harness, started.Job.JobId, job => job.Stall is not null && job.Counters.Processed == 2);

        var expected = new JobStall(stalledAt, SimulatedFailureClassifier.ReasonOf(StorageFailureKind.Unavailable));
        Assert.Equal(expected, recorded.Stall);
        var detail = (await harness.Service.GetJobAsync(ImportHarness.Ou, started.Job.JobId, CancellationToken.None))!;
        Assert.Equal((JobStatus.InProgress, expected), (detail.Status, detail.Stall));
        var unhealthy = await CheckHealthAsync(harness);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Equal((1, 1), (Gauge(harness, "leadimport.storage.unavailable"), Gauge(harness, "leadimport.jobs.stalled")));
        Assert.Equal(1, unhealthy.Data["stalled_jobs"]);
        Assert.Equal(expected.Reason, unhealthy.Data["reason"]);

        // A long outage: many more tries than a refused batch gets, minutes apart at most, and nothing fails.
        int Attempts() => call == "commit" ? faulty!.CommitAttempts : faulty!.LookupAttempts;
        var until = stalledAt + TimeSpan.FromMinutes(2);
        await Eventually.HoldsAsync(() => Attempts() > 20 && harness.Time.GetUtcNow() >= until, "a long outage", Advance(harness));
        var stillStalled = (await harness.Service.GetJobAsync(ImportHarness.Ou, started.Job.JobId, CancellationToken.None))!;
        Assert.Equal((JobStatus.InProgress, 2L, expected), (stillStalled.Status, stillStalled.Counters.Processed, stillStalled.Stall));
        Assert.False(running.IsCompleted);

        Volatile.Write(ref outage, false);
        await Eventually.HoldsAsync(() => running.IsCompleted, "the job to go on and end", Advance(harness));
        var job = await running;

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new JobCounters(5, 0, 0, 0), job.Counters);
        Assert.Empty(job.Errors);
        Assert.Null(job.Stall);
        Assert.Equal(5, (await harness.Leads.ListAsync(ImportHarness.Ou, 1, 100, CancellationToken.None)).Total);
        Assert.Equal(HealthStatus.Healthy, (await CheckHealthAsync(harness)).Status);
        Assert.Equal((0, 0), (Gauge(harness, "leadimport.storage.unavailable"), Gauge(harness, "leadimport.jobs.stalled")));

        // Logged once when the outage began and once when it ended, not at every one of the many tries.
        var logged = harness.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Level >= LogLevel.Information).Select(r => r.Message).ToList();
        Assert.Single(logged, m => m.StartsWith("Storage is unavailable", StringComparison.Ordinal));
        Assert.Single(logged, m => m.StartsWith("Storage is available again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_read_failing_while_the_store_is_unavailable_stalls_the_job_which_reads_on_from_where_it_was()
    {
        // The job's third read of its file, and every read after it while the outage lasts, fails: the store reads its
        // database piece by piece, and the database went away in the middle of the file.
        var outage = true;
        var firstFailing = int.MaxValue;
        FaultyStorage? faulty = null;
        using var harness = Harness(
            store => (faulty = store).FailFileRead = read => read >= Volatile.Read(ref firstFailing) && Volatile.Read(ref outage) ? StorageFailureKind.Unavailable : null,
            o => o.BatchSize = 500);
        var started = Assert.IsType<StartImportResult.Started>(await harness.StartAsync(Emails(20_000), ImportHost.ByEmail()));
        Volatile.Write(ref firstFailing, faulty!.FileReadAttempts + 3); // after the preview's reads
        var running = Task.Run(() => harness.RunNextJobAsync());

        var recorded = await WaitForJobAsync(harness, started.Job.JobId, job => job.Stall is not null || job.Status.IsFinal());
        Assert.True(recorded.Stall is not null, $"{recorded.Status} {recorded.FailureReason} {recorded.Counters}");
        await Eventually.HoldsAsync(() => faulty.FileReadAttempts > firstFailing + 10, "reads tried again through the outage", Advance(harness));
        Assert.Equal(SimulatedFailureClassifier.ReasonOf(StorageFailureKind.Unavailable), recorded.Stall!.Reason);
        Assert.False(running.IsCompleted);
        Volatile.Write(ref outage, false);
        await Eventually.HoldsAsync(() => running.IsCompleted, "the job to go on and end", Advance(harness));
        var job = await running;

        Assert.Equal((JobStatus.Completed, null), (job.Status, job.FailureReason));
        Assert.Equal(new JobCounters(20_000, 0, 0, 0), job.Counters);
        Assert.Equal(20_000, (await harness.Leads.ListAsync(ImportHarness.Ou, 1, 1, CancellationToken.None)).Total);
        Assert.NotNull(await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Email, "user20000@x.com"), CancellationToken.None));
    }

    [Fact]
    public async Task A_few_unavailable_calls_are_waited_out_and_change_nothing()
    {
        using var harness = Harness(store => store.FailCommit = attempt => attempt is 2 or 3 ? StorageFailureKind.Unavailable : null, o => o.StorageRetryDelay = TimeSpan.Zero);
        await harness.StartAsync(Emails(5), ImportHost.ByEmail());

        var job = await harness.RunNextJobAsync();

        Assert.Equal(new JobCounters(5, 0, 0, 0), job.Counters);
        Assert.Empty(job.Errors);
        Assert.Null(job.Stall);
    }

    [Fact]
    public async Task A_batch_the_store_keeps_refusing_fails_its_rows_with_server_error_and_the_import_goes_on()
    {
        using var harness = Harness(
            store => store.FailCommit = attempt => attempt is >= 2 and <= 4 ? StorageFailureKind.Batch : null,
            o =>
            {
                o.BatchRetryCount = 2;
                o.StorageRetryDelay = TimeSpan.Zero;
            });
        await harness.StartAsync("Email,Name\na@x.com,A\nb@x.com,B\nbad,C\nd@x.com,D\ne@x.com,E\n", ImportHost.ByEmail());

        var job = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new JobCounters(3, 0, 2, 0), job.Counters);
        Assert.Equal([(3L, "Invalid email format"), (4L, RowErrors.ServerError)], job.Errors.Select(e => (e.Row, e.Error)));
        Assert.Equal(["d@x.com", "D"], job.Errors[1].Cells);
        Assert.Null(await harness.Leads.FindAsync(ImportHarness.Ou, new(Kenbun.LeadImport.Identifiers.IdentifierKind.Email, "d@x.com"), CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_look_up_fails_the_batchs_rows_with_server_error()
    {
        using var harness = Harness(
            store => store.FailLookup = attempt => attempt == 2 ? StorageFailureKind.Batch : null,
            o => o.BatchRetryCount = 0);
        await harness.StartAsync(Emails(5), ImportHost.ByEmail());

        var job = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new JobCounters(3, 0, 2, 0), job.Counters);
        Assert.Equal([(3L, RowErrors.ServerError), (4L, RowErrors.ServerError)], job.Errors.Select(e => (e.Row, e.Error)));
    }

    [Fact]
    public async Task A_store_that_refuses_even_the_failed_batch_fails_the_job_with_a_reason()
    {
        using var harness = Harness(store => store.FailCommit = _ => StorageFailureKind.Batch, o => o.StorageRetryDelay = TimeSpan.Zero);
        await harness.StartAsync(Emails(3), ImportHost.ByEmail());

        var job = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("The store refused to record a batch's progress, even with its rows failed.", job.FailureReason);
        Assert.NotNull(job.CompletedAt);
    }

    [Theory]
    [InlineData("commit")]
    [InlineData("look-up")]
    public async Task A_store_defect_fails_the_job_at_once_with_a_reason_for_people(string call)
    {
        FaultyStorage? faulty = null;
        using var harness = Harness(store =>
        {
            faulty = store;
            if (call == "commit")
            {
                store.FailCommit = attempt => attempt == 2 ? StorageFailureKind.Defect : null;
            }
            else
            {
                store.FailLookup = attempt => attempt == 2 ? StorageFailureKind.Defect : null;
            }
        });
        await harness.StartAsync(Emails(5), ImportHost.ByEmail());

        var job = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(
            $"The import stopped on a storage failure that retrying cannot fix: {SimulatedFailureClassifier.ReasonOf(StorageFailureKind.Defect)}",
            job.FailureReason);
        Assert.DoesNotContain("Exception", job.FailureReason, StringComparison.Ordinal);
        Assert.Equal(new JobCounters(2, 0, 0, 0), job.Counters);
        Assert.Equal(call == "commit" ? 2 : 1, faulty!.CommitAttempts);
        Assert.Null(job.Stall);
    }

    [Fact]
    public async Task A_host_stopping_during_a_stall_gives_the_job_back_and_the_next_run_goes_on_exactly()
    {
        var outage = true;
        using var harness = Harness(store => store.FailCommit = attempt => attempt >= 2 && Volatile.Read(ref outage) ? StorageFailureKind.Unavailable : null);
        var started = Assert.IsType<StartImportResult.Started>(await harness.StartAsync(Emails(5), ImportHost.ByEmail()));
        using var stopping = new CancellationTokenSource();
        var running = Task.Run(() => harness.RunNextJobAsync(stopping.Token));
        await WaitForJobAsync(harness, started.Job.JobId, job => job.Stall is not null && job.Counters.Processed == 2);

        await stopping.CancelAsync();
        var interrupted = await running;

        Assert.Equal(JobStatus.InProgress, interrupted.Status);
        Assert.Equal(2, interrupted.Counters.Processed);
        Assert.NotNull(interrupted.Stall); // as the store last recorded it: the next run clears it once it goes on
        Assert.Equal(HealthStatus.Healthy, (await CheckHealthAsync(harness)).Status);

        Volatile.Write(ref outage, false);
        var resumed = await harness.RunNextJobAsync();

        Assert.Equal(JobStatus.Completed, resumed.Status);
        Assert.Equal(new JobCounters(5, 0, 0, 0), resumed.Counters);
        Assert.Null(resumed.Stall);
    }

    private static async Task<HealthReportEntry> CheckHealthAsync(ImportHarness harness) =>
        (await harness.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[LeadImportHealthChecksBuilderExtensions.DefaultName];

    /// <summary>Waits, without moving the clock, until the job as the store holds it satisfies <paramref name="condition"/>.</summary>
    private static async Task<ImportJob> WaitForJobAsync(ImportHarness harness, string jobId, Func<ImportJob, bool> condition)
    {
        ImportJob? job = null;
        await Eventually.HoldsAsync(async () => condition(job = (await harness.Jobs.GetAsync(ImportHarness.Ou, jobId, 0, CancellationToken.None))!), "the job's stall");
        return job!;
    }

    /// <summary>Moves the fake clock by a longest retry wait: each move lets a waiting retry go.</summary>
    private static Action Advance(ImportHarness harness) => () => harness.Time.Advance(MaxDelay);

    /// <summary>What an observable gauge of the harness's meter reads now.</summary>
    private static int Gauge(ImportHarness harness, string instrument)
    {
        using var collector = new MetricCollector<int>(harness.Services.GetRequiredService<IMeterFactory>(), LeadImportTelemetry.Name, instrument);
        collector.RecordObservableInstruments();
        return collector.LastMeasurement!.Value;
    }
}
