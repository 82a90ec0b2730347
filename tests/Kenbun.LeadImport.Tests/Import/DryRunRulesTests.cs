using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>
/// CONTRACT §3, dry runs: any number until the real import starts, never claiming, extending or deleting the file;
/// the sweep keeps a file while a dry run of it is queued or running; a dry run after the real import started is 409.
/// </summary>
public class DryRunRulesTests : IDisposable
{
    private const string Csv = "Email,First Name\nann@x.com,Ann\nbad,Bo\n";

    private readonly ImportHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_dry_run_leaves_the_file_a_preview_and_the_real_import_starts_after_it()
    {
        // The bug: after dry_run the real start answered 409, because the dry run counted as the file's one job.
        var preview = await _harness.PreviewAsync(Csv);

        var dry = Assert.IsType<StartImportResult.Started>(await StartAsync(preview.FileId, dryRun: true));
        var ran = await _harness.RunNextJobAsync();
        var file = await _harness.Files.FindAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None);
        var usage = await _harness.Files.GetPreviewUsageAsync(ImportHarness.Ou, CancellationToken.None);
        var real = await StartAsync(preview.FileId, dryRun: false);

        Assert.Equal((JobStatus.Completed, 1L, 1L), (ran.Status, ran.Counters.Created, ran.Counters.Failed));
        Assert.Equal(dry.Job.JobId, ran.JobId);
        Assert.Null(file!.JobId);
        Assert.Equal(preview.ExpiresAt, file.ExpiresAt);
        Assert.Equal(1, usage.Count);
        Assert.IsType<StartImportResult.Started>(real);
    }

    [Fact]
    public async Task Dry_runs_may_be_queued_beside_the_real_import_and_none_after_it()
    {
        var preview = await _harness.PreviewAsync(Csv);

        Assert.IsType<StartImportResult.Started>(await StartAsync(preview.FileId, dryRun: true));
        Assert.IsType<StartImportResult.Started>(await StartAsync(preview.FileId, dryRun: true));
        var real = Assert.IsType<StartImportResult.Started>(await StartAsync(preview.FileId, dryRun: false));
        var late = await StartAsync(preview.FileId, dryRun: true);
        var again = await StartAsync(preview.FileId, dryRun: false);

        Assert.Equal(real.Job.JobId, Assert.IsType<StartImportResult.AlreadyStarted>(late).Job.JobId);
        Assert.Equal(real.Job.JobId, Assert.IsType<StartImportResult.AlreadyStarted>(again).Job.JobId);
        Assert.Equal(3, (await _harness.Service.ListJobsAsync(ImportHarness.Ou, 1, 10, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task The_sweep_keeps_an_expired_file_while_a_dry_run_of_it_is_queued_then_deletes_it()
    {
        var preview = await _harness.PreviewAsync(Csv);
        Assert.IsType<StartImportResult.Started>(await StartAsync(preview.FileId, dryRun: true));
        _harness.Time.Advance(TimeSpan.FromHours(2));

        await SweepAsync();
        var ran = await _harness.RunNextJobAsync();
        await SweepAsync();

        Assert.Equal((JobStatus.Completed, 2L), (ran.Status, ran.Counters.Processed));
        Assert.Null(await _harness.Files.OpenContentAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None));
    }

    [Fact]
    public async Task Cancelling_a_queued_dry_run_keeps_the_file()
    {
        var preview = await _harness.PreviewAsync(Csv);
        var dry = Assert.IsType<StartImportResult.Started>(await StartAsync(preview.FileId, dryRun: true));

        var outcome = await _harness.Service.CancelJobAsync(ImportHarness.Ou, dry.Job.JobId, CancellationToken.None);

        Assert.Equal(CancelStatus.Cancelled, outcome.Status);
        Assert.NotNull(await _harness.Files.FindAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None));
    }

    private Task<StartImportResult> StartAsync(string fileId, bool dryRun) =>
        _harness.Service.StartAsync(ImportHarness.Ou, ImportHost.ByEmail(dryRun: dryRun) with { FileId = fileId }, CancellationToken.None);

    private Task SweepAsync() =>
        _harness.Services.GetServices<IHostedService>().OfType<RetentionSweeper>().Single().SweepOnceAsync(CancellationToken.None);
}
