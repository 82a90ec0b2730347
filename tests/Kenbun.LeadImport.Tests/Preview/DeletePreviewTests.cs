using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Preview;

/// <summary>
/// Discarding a preview (*extra*): the file goes with its place in the OU's preview quota (CONTRACT §1); only a preview
/// that can still start its real import can go, and anything else is not found, exactly like an id that never existed.
/// </summary>
public class DeletePreviewTests : IDisposable
{
    private const string Csv = "Email,First Name\nann@x.com,Ann\n";

    private readonly ImportHarness _harness = new(o => o.MaxPreviewsPerOu = 1);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_discarded_preview_cannot_start_an_import_and_frees_its_place_in_the_quota()
    {
        var preview = await _harness.PreviewAsync(Csv);
        await _harness.PreviewFailsAsync<QuotaExceededException>(Csv);

        var deleted = await _harness.Service.DeletePreviewAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None);

        Assert.True(deleted);
        Assert.IsType<StartImportResult.FileNotFound>(await StartAsync(preview.FileId));
        Assert.IsType<StartImportResult.FileNotFound>(await StartAsync(preview.FileId, dryRun: true));
        Assert.False(await _harness.Service.DeletePreviewAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None));
        Assert.Equal(0, _harness.StoredFileCount);
        Assert.NotNull(await _harness.PreviewAsync(Csv));
    }

    [Fact]
    public async Task Unknown_malformed_expired_and_other_ous_previews_are_not_found_and_stay()
    {
        // CONTRACT §1: another OU's file id answers exactly like one that never existed.
        var theirs = await _harness.PreviewAsync(Csv, ou: "ou-other");
        var expired = await _harness.PreviewAsync(Csv);

        Assert.False(await _harness.Service.DeletePreviewAsync(ImportHarness.Ou, theirs.FileId, CancellationToken.None));
        Assert.False(await _harness.Service.DeletePreviewAsync(ImportHarness.Ou, ImportIds.NewFileId(), CancellationToken.None));
        Assert.False(await _harness.Service.DeletePreviewAsync(ImportHarness.Ou, "preview_x", CancellationToken.None));
        Assert.False(await _harness.Service.DeletePreviewAsync(ImportHarness.Ou, ImportIds.NewJobId(), CancellationToken.None));
        _harness.Time.Advance(_harness.Options.PreviewLifetime);
        Assert.False(await _harness.Service.DeletePreviewAsync(ImportHarness.Ou, expired.FileId, CancellationToken.None));

        Assert.NotNull(await _harness.Files.OpenContentAsync("ou-other", theirs.FileId, CancellationToken.None));
        Assert.NotNull(await _harness.Files.OpenContentAsync(ImportHarness.Ou, expired.FileId, CancellationToken.None));
    }

    [Fact]
    public async Task A_preview_whose_real_import_started_is_the_jobs_and_cannot_be_discarded()
    {
        // CONTRACT §3: once started, the real import's job owns its copy of the file.
        var preview = await _harness.PreviewAsync(Csv);
        Assert.IsType<StartImportResult.Started>(await StartAsync(preview.FileId));

        var deleted = await _harness.Service.DeletePreviewAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None);
        var job = await _harness.RunNextJobAsync();

        Assert.False(deleted);
        Assert.Equal((JobStatus.Completed, 1L), (job.Status, job.Counters.Created));
    }

    [Fact]
    public async Task A_queued_dry_run_of_a_discarded_preview_fails_saying_its_file_is_gone()
    {
        // CONTRACT §6: a job that cannot go on (its file is gone) ends failed with failure_reason.
        var preview = await _harness.PreviewAsync(Csv);
        Assert.IsType<StartImportResult.Started>(await StartAsync(preview.FileId, dryRun: true));

        Assert.True(await _harness.Service.DeletePreviewAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None));
        var job = await _harness.RunNextJobAsync();

        Assert.Equal((JobStatus.Failed, "The job's file is no longer stored."), (job.Status, job.FailureReason));
        Assert.Equal(0L, job.Counters.Processed);
    }

    private Task<StartImportResult> StartAsync(string fileId, bool dryRun = false) =>
        _harness.Service.StartAsync(ImportHarness.Ou, ImportHost.ByEmail(dryRun: dryRun) with { FileId = fileId }, CancellationToken.None);
}
