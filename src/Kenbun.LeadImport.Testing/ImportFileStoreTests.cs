using System.Text;
using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Jobs;
using static Kenbun.LeadImport.Testing.StoreTestData;

namespace Kenbun.LeadImport.Testing;

/// <summary>What the files of every <see cref="LeadImportStorage"/> must do, alone and as jobs take them.</summary>
public abstract class ImportFileStoreTests : StorageTests
{
    [Fact]
    public async Task Written_content_reads_back_byte_for_byte()
    {
        var id = ImportIds.NewFileId();
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Email,Name\r\nann@x.com,Ann\n", 10_000)));

        await Files.WriteContentAsync(Ou, id, Time.GetUtcNow().AddHours(1), new MemoryStream(content), None);

        Assert.Equal(content, await ReadContentAsync(Ou, id));
    }

    [Fact]
    public async Task A_file_deleted_while_it_is_read_reads_whole_or_fails_but_never_reads_short()
    {
        // CONTRACT §6: counters equal total_rows when a job completes, so a short read must never pass for the file.
        var id = ImportIds.NewFileId();
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Email,Name\r\nann@x.com,Ann\n", 20_000)));
        await Files.WriteContentAsync(Ou, id, Time.GetUtcNow().AddHours(1), new MemoryStream(content), None);
        await using var reader = (await Files.OpenContentAsync(Ou, id, None))!;
        var read = new MemoryStream();
        var buffer = new byte[1024];
        read.Write(buffer, 0, await reader.ReadAsync(buffer));

        await Files.DeleteAsync(Ou, id, None);

        try
        {
            await reader.CopyToAsync(read);
            Assert.Equal(content, read.ToArray());
        }
        catch (IOException)
        {
            Assert.True(read.Length < content.Length);
        }
    }

    [Fact]
    public async Task Content_is_not_a_preview_until_published()
    {
        var id = await WriteAsync();

        Assert.Null(await Files.FindAsync(Ou, id, None));
        Assert.Equal(0, (await Files.GetPreviewUsageAsync(Ou, None)).Count);

        var file = await PublishAsync(id);

        AssertSameFile(file, await Files.FindAsync(Ou, id, None));
        Assert.Equal(new PreviewUsage(1, file.ExpiresAt), await Files.GetPreviewUsageAsync(Ou, None));
    }

    [Fact]
    public async Task A_failed_upload_leaves_nothing_behind()
    {
        var id = ImportIds.NewFileId();

        await Assert.ThrowsAsync<IOException>(() =>
            Files.WriteContentAsync(Ou, id, Time.GetUtcNow().AddHours(1), new FailingStream(), None).AsTask());

        Assert.Null(await Files.OpenContentAsync(Ou, id, None));
        Assert.Equal(0, (await Storage.SweepAsync(DateTimeOffset.MinValue, None)).DeletedFiles);
    }

    [Fact]
    public async Task Files_of_another_ou_do_not_exist()
    {
        var id = await WriteAsync();
        await PublishAsync(id);

        Assert.Null(await Files.FindAsync(OtherOu, id, None));
        Assert.Null(await Files.OpenContentAsync(OtherOu, id, None));
        Assert.Equal(JobCreationStatus.FileNotFound, (await Storage.CreateJobAsync(NewJob(OtherOu, Time.GetUtcNow(), id), Quota, None)).Status);
        await Files.DeleteAsync(OtherOu, id, None);
        Assert.NotNull(await Files.FindAsync(Ou, id, None));
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_not_found()
    {
        Assert.Null(await Files.FindAsync(Ou, ImportIds.NewFileId(), None));
        Assert.Null(await Files.FindAsync(Ou, "../../etc/passwd", None));
        Assert.Null(await Files.OpenContentAsync(Ou, "preview_../../../../etc/passwd", None));
        Assert.Equal(JobCreationStatus.FileNotFound, (await Storage.CreateJobAsync(NewJob(Ou, Time.GetUtcNow(), "x"), Quota, None)).Status);
    }

    [Fact]
    public async Task A_preview_expires_by_the_store_clock()
    {
        var id = await WriteAsync();
        await PublishAsync(id);

        Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.NotNull(await Files.FindAsync(Ou, id, None));

        Time.Advance(TimeSpan.FromTicks(1));
        Assert.Null(await Files.FindAsync(Ou, id, None));
        Assert.Equal(0, (await Files.GetPreviewUsageAsync(Ou, None)).Count);
        Assert.Equal(JobCreationStatus.FileNotFound, (await Storage.CreateJobAsync(NewJob(Ou, Time.GetUtcNow(), id), Quota, None)).Status);
        Assert.Equal(JobCreationStatus.FileNotFound, (await Storage.CreateJobAsync(DryRun(NewJob(Ou, Time.GetUtcNow(), id)), Quota, None)).Status);
    }

    [Fact]
    public async Task The_sweep_deletes_expired_files_published_or_not()
    {
        var published = await WriteAsync();
        await PublishAsync(published);
        var unpublished = await WriteAsync();
        var fresh = await WriteAsync(expiresIn: TimeSpan.FromHours(3));

        Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(2, (await Storage.SweepAsync(DateTimeOffset.MinValue, None)).DeletedFiles);
        Assert.Null(await Files.OpenContentAsync(Ou, published, None));
        Assert.Null(await Files.OpenContentAsync(Ou, unpublished, None));
        Assert.NotNull(await ReadContentAsync(Ou, fresh));
    }

    [Fact]
    public async Task An_upload_expires_soon_while_unpublished_and_as_its_preview_once_published()
    {
        // The preview writes an upload to expire soon after the longest upload may take, so an abandoned one (its
        // process killed mid-upload) is swept within minutes; publishing gives it the preview's expiry.
        var abandoned = await WriteAsync(expiresIn: TimeSpan.FromMinutes(10));
        var published = await WriteAsync(expiresIn: TimeSpan.FromMinutes(10));
        await PublishAsync(published);

        Time.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(1, (await Storage.SweepAsync(DateTimeOffset.MinValue, None)).DeletedFiles);
        Assert.Null(await Files.OpenContentAsync(Ou, abandoned, None));
        Assert.NotNull(await Files.FindAsync(Ou, published, None));
        Assert.Equal(Time.GetUtcNow().AddMinutes(49), (await Files.GetPreviewUsageAsync(Ou, None)).EarliestExpiry);
    }

    [Fact]
    public async Task The_sweep_keeps_an_expired_preview_while_a_dry_run_of_it_is_queued_or_running()
    {
        // CONTRACT §3: the expiry sweep keeps a file while a dry run of it is queued or running.
        var read = await WriteAsync();
        await PublishAsync(read);
        var unread = await WriteAsync();
        await PublishAsync(unread);
        var dryRun = DryRun(NewJob(Ou, Time.GetUtcNow(), read));
        Assert.Equal(JobCreationStatus.Created, (await Storage.CreateJobAsync(dryRun, Quota, None)).Status);

        Time.Advance(TimeSpan.FromHours(2));
        var whileQueued = await Storage.SweepAsync(DateTimeOffset.MinValue, None);
        var lease = await Jobs.AcquireNextAsync("w1", LeaseDuration, None);
        var whileRunning = await Storage.SweepAsync(DateTimeOffset.MinValue, None);
        var contentWhileRunning = await ReadContentAsync(Ou, read);
        Assert.True(await Storage.FinishJobAsync(lease!, JobStatus.Completed, null, None));
        var afterwards = await Storage.SweepAsync(DateTimeOffset.MinValue, None);

        Assert.Equal((1, 0, 1), (whileQueued.DeletedFiles, whileRunning.DeletedFiles, afterwards.DeletedFiles));
        Assert.NotNull(contentWhileRunning);
        Assert.Null(await Files.OpenContentAsync(Ou, unread, None));
        Assert.Null(await Files.OpenContentAsync(Ou, read, None));
    }

    [Fact]
    public async Task A_real_import_takes_its_file_over_and_the_file_outlives_the_preview()
    {
        var id = await WriteAsync();
        await PublishAsync(id);
        var job = NewJob(Ou, Time.GetUtcNow(), id);

        Assert.Equal(JobCreationStatus.Created, (await Storage.CreateJobAsync(job, Quota, None)).Status);
        Assert.Equal(0, (await Files.GetPreviewUsageAsync(Ou, None)).Count);

        Time.Advance(TimeSpan.FromDays(2));

        Assert.Equal(0, (await Storage.SweepAsync(DateTimeOffset.MinValue, None)).DeletedFiles);
        Assert.Equal(job.JobId, (await Files.FindAsync(Ou, id, None))?.JobId);
        Assert.NotNull(await ReadContentAsync(Ou, id));
    }

    [Fact]
    public async Task A_dry_run_leaves_its_file_a_preview()
    {
        var file = await PublishAsync(await WriteAsync());

        Assert.Equal(JobCreationStatus.Created, (await Storage.CreateJobAsync(DryRun(NewJob(Ou, Time.GetUtcNow(), file.FileId)), Quota, None)).Status);

        AssertSameFile(file, await Files.FindAsync(Ou, file.FileId, None));
        Assert.Equal(new PreviewUsage(1, file.ExpiresAt), await Files.GetPreviewUsageAsync(Ou, None));
    }

    [Fact]
    public async Task Delete_removes_the_file_and_its_content()
    {
        var id = await WriteAsync();
        await PublishAsync(id);

        await Files.DeleteAsync(Ou, id, None);
        await Files.DeleteAsync(Ou, id, None);

        Assert.Null(await Files.FindAsync(Ou, id, None));
        Assert.Null(await Files.OpenContentAsync(Ou, id, None));
    }

    [Fact]
    public async Task A_discarded_preview_is_gone_with_its_content_and_its_place_in_the_quota()
    {
        // CONTRACT §1: at most 50 (configurable) unexpired previews per OU; a discarded one no longer counts.
        var discarded = await PublishAsync(await WriteAsync());
        var kept = await PublishAsync(await WriteAsync());
        var waiting = await WriteAsync();
        Assert.False(await Files.PublishAsync(Preview(waiting), 2, None));

        Assert.True(await Files.DeletePreviewAsync(Ou, discarded.FileId, None));

        Assert.Null(await Files.FindAsync(Ou, discarded.FileId, None));
        Assert.Null(await Files.OpenContentAsync(Ou, discarded.FileId, None));
        Assert.Equal(new PreviewUsage(1, kept.ExpiresAt), await Files.GetPreviewUsageAsync(Ou, None));
        Assert.Equal(JobCreationStatus.FileNotFound, (await Storage.CreateJobAsync(NewJob(Ou, Time.GetUtcNow(), discarded.FileId), Quota, None)).Status);
        Assert.Equal(JobCreationStatus.FileNotFound, (await Storage.CreateJobAsync(DryRun(NewJob(Ou, Time.GetUtcNow(), discarded.FileId)), Quota, None)).Status);
        Assert.False(await Files.DeletePreviewAsync(Ou, discarded.FileId, None));
        Assert.True(await Files.PublishAsync(Preview(waiting), 2, None));
        AssertSameFile(kept, await Files.FindAsync(Ou, kept.FileId, None));
    }

    [Fact]
    public async Task Only_an_unexpired_preview_of_the_ou_that_no_job_took_can_be_discarded()
    {
        // CONTRACT §1: another OU's file is reported exactly like one that never existed.
        var unpublished = await WriteAsync();
        var theirs = await PublishAsync(await WriteAsync(OtherOu), OtherOu);
        var taken = await PublishAsync(await WriteAsync());
        var job = NewJob(Ou, Time.GetUtcNow(), taken.FileId);
        Assert.Equal(JobCreationStatus.Created, (await Storage.CreateJobAsync(job, Quota, None)).Status);
        var expired = await PublishAsync(await WriteAsync());

        Assert.False(await Files.DeletePreviewAsync(Ou, ImportIds.NewFileId(), None));
        Assert.False(await Files.DeletePreviewAsync(Ou, "preview_../../../../etc/passwd", None));
        Assert.False(await Files.DeletePreviewAsync(Ou, unpublished, None));
        Assert.False(await Files.DeletePreviewAsync(Ou, theirs.FileId, None));
        Assert.False(await Files.DeletePreviewAsync(Ou, taken.FileId, None));
        Time.Advance(TimeSpan.FromHours(1));
        Assert.False(await Files.DeletePreviewAsync(Ou, expired.FileId, None));

        Assert.NotNull(await ReadContentAsync(Ou, unpublished));
        Assert.NotNull(await ReadContentAsync(OtherOu, theirs.FileId));
        Assert.NotNull(await ReadContentAsync(Ou, expired.FileId));
        Assert.Equal(job.JobId, (await Files.FindAsync(Ou, taken.FileId, None))?.JobId);
        Assert.NotNull(await ReadContentAsync(Ou, taken.FileId));
    }

    [Fact]
    public async Task A_preview_with_a_dry_run_can_be_discarded_and_the_dry_run_is_left_to_find_it_gone()
    {
        // A dry run never takes its file (CONTRACT §3): the preview stays the client's to discard. The store leaves the
        // dry run as it is; the engine fails it when it finds no file to read.
        var file = await PublishAsync(await WriteAsync());
        var dryRun = DryRun(NewJob(Ou, Time.GetUtcNow(), file.FileId));
        Assert.Equal(JobCreationStatus.Created, (await Storage.CreateJobAsync(dryRun, Quota, None)).Status);

        Assert.True(await Files.DeletePreviewAsync(Ou, file.FileId, None));

        Assert.Null(await Files.OpenContentAsync(Ou, file.FileId, None));
        Assert.Equal(JobStatus.Queued, (await Jobs.GetAsync(Ou, dryRun.JobId, 0, None))?.Status);
        Assert.Equal(JobCreationStatus.FileNotFound, (await Storage.CreateJobAsync(NewJob(Ou, Time.GetUtcNow(), file.FileId), Quota, None)).Status);
    }

    [Fact]
    public async Task Of_discards_and_real_imports_racing_for_one_preview_exactly_one_wins_and_no_job_is_left_without_its_file()
    {
        // CONTRACT §3: once started, the real import's job owns its copy of the file. A discard that races the start
        // must either delete the preview before the job takes it (no job is created) or find it taken (nothing deleted).
        for (var round = 0; round < 12; round++)
        {
            var fileId = (await PublishAsync(await WriteAsync())).FileId;
            var now = Time.GetUtcNow();
            using var start = new ManualResetEventSlim();
            var discards = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await Files.DeletePreviewAsync(Ou, fileId, None);
            })).ToList();
            var creations = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await Storage.CreateJobAsync(NewJob(Ou, now, fileId), Quota, None);
            })).ToList();
            start.Set();

            var discarded = (await Task.WhenAll(discards)).Count(d => d);
            var created = (await Task.WhenAll(creations)).Where(c => c.Status == JobCreationStatus.Created).ToList();

            Assert.Equal(1, discarded + created.Count);
            if (created is [{ Job: { } job }])
            {
                Assert.Equal(job.JobId, (await Files.FindAsync(Ou, fileId, None))?.JobId);
                Assert.NotNull(await ReadContentAsync(Ou, fileId));
                Assert.Equal(job.JobId, (await Jobs.FindByFileAsync(Ou, fileId, None))?.JobId);
            }
            else
            {
                Assert.Null(await Files.OpenContentAsync(Ou, fileId, None));
                Assert.Null(await Jobs.FindByFileAsync(Ou, fileId, None));
                Assert.All(await Task.WhenAll(creations), c => Assert.Equal(JobCreationStatus.FileNotFound, c.Status));
            }
        }
    }

    [Fact]
    public async Task Preview_usage_counts_only_unexpired_unclaimed_previews_of_the_ou()
    {
        var first = await PublishAsync(await WriteAsync());
        Time.Advance(TimeSpan.FromMinutes(10));
        var second = await PublishAsync(await WriteAsync());
        var claimed = await PublishAsync(await WriteAsync());
        await CreateJobAsync(NewJob(Ou, Time.GetUtcNow(), claimed.FileId));
        await Files.WriteContentAsync(OtherOu, ImportIds.NewFileId(), Time.GetUtcNow().AddHours(1), new MemoryStream([1]), None);

        Assert.Equal(new PreviewUsage(2, first.ExpiresAt), await Files.GetPreviewUsageAsync(Ou, None));

        Time.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(new PreviewUsage(1, second.ExpiresAt), await Files.GetPreviewUsageAsync(Ou, None));
    }

    [Fact]
    public async Task Of_concurrent_publishes_no_more_succeed_than_the_quota_has_room_for()
    {
        // CONTRACT §1: at most 50 (configurable) unexpired previews per OU.
        await PublishAsync(await WriteAsync());
        var claimed = await PublishAsync(await WriteAsync());
        await CreateJobAsync(NewJob(Ou, Time.GetUtcNow(), claimed.FileId));
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await WriteAsync());
        }

        var published = await Task.WhenAll(ids.Select(id => Task.Run(async () => await Files.PublishAsync(Preview(id), 5, None))));

        Assert.Equal(4, published.Count(p => p));
        Assert.Equal(5, (await Files.GetPreviewUsageAsync(Ou, None)).Count);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(published[i], await Files.FindAsync(Ou, ids[i], None) is not null);
        }

        var otherOus = ImportIds.NewFileId();
        await Files.WriteContentAsync(OtherOu, otherOus, Time.GetUtcNow().AddHours(1), new MemoryStream([1]), None);
        Assert.True(await Files.PublishAsync(Preview(otherOus, OtherOu), 5, None));
    }

    /// <summary>Record equality compares lists by reference; a store that serialises files returns new lists.</summary>
    protected static void AssertSameFile(ImportFile expected, ImportFile? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Headers, actual.Headers);
        Assert.Equal(expected, actual with { Headers = expected.Headers });
    }

    /// <summary>An upload whose connection drops after some bytes.</summary>
    private sealed class FailingStream : Stream
    {
        private int _reads;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_reads++ > 2)
            {
                throw new IOException("The client went away.");
            }

            buffer.AsSpan(offset, count).Fill((byte)'a');
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
