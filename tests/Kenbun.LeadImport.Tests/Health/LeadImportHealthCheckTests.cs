using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kenbun.LeadImport.Tests.Health;

/// <summary>
/// <c>services.AddHealthChecks().AddLeadImport()</c>: the storage is unhealthy while it is unavailable, healthy
/// otherwise. Stalled jobs make it unhealthy too (<see cref="Import.StorageFailureRulesTests"/>); here the worker meets
/// the outage between jobs.
/// </summary>
public class LeadImportHealthCheckTests
{
    [Fact]
    public async Task Storage_that_answers_is_healthy()
    {
        using var harness = new ImportHarness(services: s => s.AddHealthChecks().AddLeadImport());
        await harness.StartAsync("Email\nann@x.com\n", ImportHost.ByEmail());
        await harness.RunNextJobAsync();

        var entry = await CheckAsync(harness.Services);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("The lead import's storage is available.", entry.Description);
        Assert.Equal(("InMemoryStorage", "OneProcess"), (entry.Data["storage"], entry.Data["scope"]));
        Assert.Equal(0L, entry.Data["queued_jobs"]);
        Assert.False(entry.Data.ContainsKey("oldest_queued_seconds"));
    }

    [Fact]
    public async Task The_queue_depth_and_the_oldest_queued_jobs_age_are_data()
    {
        using var harness = new ImportHarness(services: s => s.AddHealthChecks().AddLeadImport());
        await harness.StartAsync("Email\nann@x.com\n", ImportHost.ByEmail());
        harness.Time.Advance(TimeSpan.FromMinutes(3));
        await harness.StartAsync("Email\nbob@x.com\n", ImportHost.ByEmail());

        var entry = await CheckAsync(harness.Services);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal((2L, 180L), (entry.Data["queued_jobs"], entry.Data["oldest_queued_seconds"]));
    }

    [Fact]
    public async Task An_outage_the_idle_worker_meets_is_unhealthy_until_the_store_answers_again()
    {
        var unavailable = true;
        await using var host = await ImportHost.StartAsync(services: s =>
        {
            FaultyStorage.Register(s, storage => storage.FailAcquire = () => Volatile.Read(ref unavailable) ? StorageFailureKind.Unavailable : null);
            s.AddHealthChecks().AddLeadImport();
        });
        var services = host.Services;

        var down = await WaitForAsync(services, HealthStatus.Unhealthy);

        var reason = SimulatedFailureClassifier.ReasonOf(StorageFailureKind.Unavailable);
        Assert.Equal($"The lead import's storage is unavailable: {reason}", down.Description);
        Assert.Equal(reason, down.Data["reason"]);
        Assert.Equal(0, down.Data["stalled_jobs"]);
        Assert.True(DateTimeOffset.TryParse((string)down.Data["unavailable_since"], out _));
        Assert.Null(down.Exception);

        Volatile.Write(ref unavailable, false);
        await WaitForAsync(services, HealthStatus.Healthy);
        var job = await host.ImportAsync("Email\nann@x.com\n", ImportHost.ByEmail());
        Assert.Equal(Jobs.JobStatus.Completed, job.Status);
    }

    [Fact]
    public async Task A_defect_is_not_an_outage()
    {
        var looks = 0;
        await using var host = await ImportHost.StartAsync(services: s =>
        {
            FaultyStorage.Register(s, storage => storage.FailAcquire = () =>
            {
                Interlocked.Increment(ref looks);
                return StorageFailureKind.Defect;
            });
            s.AddHealthChecks().AddLeadImport();
        });

        // The worker looks for work at once and then every poll interval; each look fails as a defect.
        await Eventually.HoldsAsync(() => Volatile.Read(ref looks) >= 2, "the worker to look for work twice");

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(host.Services)).Status);
    }

    [Fact]
    public async Task The_check_takes_a_name_a_failure_status_and_tags()
    {
        await using var host = await ImportHost.StartAsync(services: s =>
        {
            FaultyStorage.Register(s, storage => storage.FailAcquire = () => StorageFailureKind.Unavailable);
            s.AddHealthChecks().AddLeadImport("storage", HealthStatus.Degraded, ["ready"]);
        });

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

        var entry = Assert.Single(report.Entries);
        Assert.Equal("storage", entry.Key);
        Assert.Contains("ready", entry.Value.Tags);
        Assert.Equal(HealthStatus.Degraded, (await WaitForAsync(host.Services, HealthStatus.Degraded, "storage")).Status);
    }

    [Fact]
    public async Task A_store_that_cannot_write_is_unhealthy_and_says_when_it_is_full()
    {
        using var harness = new ImportHarness(
            storage: b => b.UseStorage(p => new StorageWithFiles(new InMemoryStorage(p.GetRequiredService<TimeProvider>()), new FullDisk())),
            services: s => s.AddHealthChecks().AddLeadImport());

        var entry = await CheckAsync(harness.Services);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("The lead import's storage cannot be written: The disk holding the store is full.", entry.Description);
        Assert.Equal(true, entry.Data["out_of_space"]);
    }

    [Fact]
    public async Task A_stopped_job_worker_is_unhealthy_and_a_running_one_is_reported()
    {
        await using var host = await ImportHost.StartAsync(services: s => s.AddHealthChecks().AddLeadImport());
        var running = await CheckAsync(host.Services);

        await host.StopAsync();
        var stopped = await CheckAsync(host.Services);

        Assert.Equal((HealthStatus.Healthy, "running"), (running.Status, running.Data["worker"]));
        Assert.Equal((HealthStatus.Unhealthy, "stopped"), (stopped.Status, stopped.Data["worker"]));
        Assert.Equal("The lead import's job worker has stopped: queued imports do not run.", stopped.Description);
    }

    /// <summary>A file store on a full disk: every write fails as the runtime reports ENOSPC.</summary>
    private sealed class FullDisk() : Testing.DelegatingImportFileStore(new InMemoryStorage(TimeProvider.System).Files)
    {
        public override ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken) =>
            ValueTask.FromException(new IOException("No space left on device", 28));
    }

    [Fact]
    public async Task Without_the_lead_import_the_check_says_what_to_call()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddLeadImport();
        await using var provider = services.BuildServiceProvider();

        var entry = await CheckAsync(provider);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("call services.AddLeadImport()", entry.Description, StringComparison.Ordinal);
    }

    private static async Task<HealthReportEntry> CheckAsync(IServiceProvider services, string name = LeadImportHealthChecksBuilderExtensions.DefaultName) =>
        (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[name];

    private static async Task<HealthReportEntry> WaitForAsync(IServiceProvider services, HealthStatus status, string name = LeadImportHealthChecksBuilderExtensions.DefaultName)
    {
        HealthReportEntry entry = default;
        await Eventually.HoldsAsync(async () => (entry = await CheckAsync(services, name)).Status == status, $"the check to report {status}");
        return entry;
    }
}
