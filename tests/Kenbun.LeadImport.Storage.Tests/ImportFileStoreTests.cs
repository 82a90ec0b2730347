using System.Text;
using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Kenbun.LeadImport.Storage.Tests;

/// <summary>What every <see cref="IImportFileStore"/> must do: derive, implement <see cref="CreateStore"/>, and the tests run.</summary>
public abstract class ImportFileStoreTests : IAsyncLifetime
{
    private const string Ou = "ou-a";
    private static readonly CancellationToken None = CancellationToken.None;

    private IImportFileStore? _store;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));

    protected IImportFileStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates an empty store that judges expiry by <paramref name="timeProvider"/>.</summary>
    protected abstract Task<IImportFileStore> CreateStore(TimeProvider timeProvider);

    public async Task InitializeAsync() => _store = await CreateStore(Time);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Written_content_reads_back_byte_for_byte()
    {
        var id = ImportIds.NewFileId();
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Email,Name\r\nann@x.com,Ann\n", 10_000)));

        await Store.WriteContentAsync(Ou, id, Time.GetUtcNow().AddHours(1), new MemoryStream(content), None);

        Assert.Equal(content, await ReadContentAsync(Ou, id));
    }

    [Fact]
    public async Task A_file_deleted_while_it_is_read_reads_whole_or_fails_but_never_reads_short()
    {
        // CONTRACT §6: counters equal total_rows when a job completes, so a short read must never pass for the file.
        var id = ImportIds.NewFileId();
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Email,Name\r\nann@x.com,Ann\n", 20_000)));
        await Store.WriteContentAsync(Ou, id, Time.GetUtcNow().AddHours(1), new MemoryStream(content), None);
        await using var reader = (await Store.OpenContentAsync(Ou, id, None))!;
        var read = new MemoryStream();
        var buffer = new byte[1024];
        read.Write(buffer, 0, await reader.ReadAsync(buffer));

        await Store.DeleteAsync(Ou, id, None);

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

        Assert.Null(await Store.FindAsync(Ou, id, None));
        Assert.Equal(0, (await Store.GetPreviewUsageAsync(Ou, None)).Count);

        var file = await PublishAsync(id);

        AssertSameFile(file, await Store.FindAsync(Ou, id, None));
        Assert.Equal(new PreviewUsage(1, file.ExpiresAt), await Store.GetPreviewUsageAsync(Ou, None));
    }

    [Fact]
    public async Task A_failed_upload_leaves_nothing_behind()
    {
        var id = ImportIds.NewFileId();

        await Assert.ThrowsAsync<IOException>(() =>
            Store.WriteContentAsync(Ou, id, Time.GetUtcNow().AddHours(1), new FailingStream(), None).AsTask());

        Assert.Null(await Store.OpenContentAsync(Ou, id, None));
        Assert.Equal(0, await Store.DeleteExpiredAsync(new HashSet<string>(), None));
    }

    [Fact]
    public async Task Files_of_another_ou_do_not_exist()
    {
        var id = await WriteAsync();
        await PublishAsync(id);

        Assert.Null(await Store.FindAsync("ou-b", id, None));
        Assert.Null(await Store.OpenContentAsync("ou-b", id, None));
        Assert.Equal(FileClaimStatus.NotFound, (await Store.ClaimAsync("ou-b", id, "job_b", None)).Status);
        await Store.DeleteAsync("ou-b", id, None);
        Assert.NotNull(await Store.FindAsync(Ou, id, None));
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_not_found()
    {
        Assert.Null(await Store.FindAsync(Ou, ImportIds.NewFileId(), None));
        Assert.Null(await Store.FindAsync(Ou, "../../etc/passwd", None));
        Assert.Null(await Store.OpenContentAsync(Ou, "preview_../../../../etc/passwd", None));
        Assert.Equal(FileClaimStatus.NotFound, (await Store.ClaimAsync(Ou, "x", "job_x", None)).Status);
    }

    [Fact]
    public async Task A_preview_expires_by_the_store_clock()
    {
        var id = await WriteAsync();
        await PublishAsync(id);

        Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.NotNull(await Store.FindAsync(Ou, id, None));

        Time.Advance(TimeSpan.FromTicks(1));
        Assert.Null(await Store.FindAsync(Ou, id, None));
        Assert.Equal(0, (await Store.GetPreviewUsageAsync(Ou, None)).Count);
        Assert.Equal(FileClaimStatus.NotFound, (await Store.ClaimAsync(Ou, id, "job_1", None)).Status);
    }

    [Fact]
    public async Task The_sweep_deletes_expired_files_published_or_not()
    {
        var published = await WriteAsync();
        await PublishAsync(published);
        var unpublished = await WriteAsync();
        var fresh = await WriteAsync(expiresIn: TimeSpan.FromHours(3));

        Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(2, await Store.DeleteExpiredAsync(new HashSet<string>(), None));
        Assert.Null(await Store.OpenContentAsync(Ou, published, None));
        Assert.Null(await Store.OpenContentAsync(Ou, unpublished, None));
        Assert.NotNull(await ReadContentAsync(Ou, fresh));
    }

    [Fact]
    public async Task The_sweep_keeps_expired_files_in_use()
    {
        // CONTRACT §3: the expiry sweep keeps a file while a dry run of it is queued or running.
        var read = await WriteAsync();
        await PublishAsync(read);
        var unread = await WriteAsync();
        await PublishAsync(unread);

        Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(1, await Store.DeleteExpiredAsync(new HashSet<string> { read }, None));
        Assert.NotNull(await ReadContentAsync(Ou, read));
        Assert.Null(await Store.OpenContentAsync(Ou, unread, None));
    }

    [Fact]
    public async Task A_claimed_file_belongs_to_its_job_and_outlives_the_preview()
    {
        var id = await WriteAsync();
        await PublishAsync(id);

        Assert.Equal(new FileClaim(FileClaimStatus.Claimed, "job_1"), await Store.ClaimAsync(Ou, id, "job_1", None));
        Assert.Equal(new FileClaim(FileClaimStatus.AlreadyClaimed, "job_1"), await Store.ClaimAsync(Ou, id, "job_2", None));
        Assert.Equal(0, (await Store.GetPreviewUsageAsync(Ou, None)).Count);

        Time.Advance(TimeSpan.FromDays(2));

        Assert.Equal(0, await Store.DeleteExpiredAsync(new HashSet<string>(), None));
        Assert.Equal("job_1", (await Store.FindAsync(Ou, id, None))?.JobId);
        Assert.NotNull(await ReadContentAsync(Ou, id));
    }

    [Fact]
    public async Task Of_concurrent_claims_exactly_one_wins()
    {
        var id = await WriteAsync();
        await PublishAsync(id);

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(async () => await Store.ClaimAsync(Ou, id, $"job_{i}", None))));

        var winner = Assert.Single(claims, c => c.Status == FileClaimStatus.Claimed);
        Assert.All(claims.Where(c => c.Status != FileClaimStatus.Claimed), c => Assert.Equal(new FileClaim(FileClaimStatus.AlreadyClaimed, winner.JobId), c));
    }

    [Fact]
    public async Task Delete_removes_the_file_and_its_content()
    {
        var id = await WriteAsync();
        await PublishAsync(id);
        await Store.ClaimAsync(Ou, id, "job_1", None);

        await Store.DeleteAsync(Ou, id, None);
        await Store.DeleteAsync(Ou, id, None);

        Assert.Null(await Store.FindAsync(Ou, id, None));
        Assert.Null(await Store.OpenContentAsync(Ou, id, None));
    }

    [Fact]
    public async Task Preview_usage_counts_only_unexpired_unclaimed_previews_of_the_ou()
    {
        var first = await PublishAsync(await WriteAsync());
        Time.Advance(TimeSpan.FromMinutes(10));
        var second = await PublishAsync(await WriteAsync());
        var claimed = await PublishAsync(await WriteAsync());
        await Store.ClaimAsync(Ou, claimed.FileId, "job_1", None);
        await Store.WriteContentAsync("ou-b", ImportIds.NewFileId(), Time.GetUtcNow().AddHours(1), new MemoryStream([1]), None);

        Assert.Equal(new PreviewUsage(2, first.ExpiresAt), await Store.GetPreviewUsageAsync(Ou, None));

        Time.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(new PreviewUsage(1, second.ExpiresAt), await Store.GetPreviewUsageAsync(Ou, None));
    }

    [Fact]
    public async Task Of_concurrent_publishes_no_more_succeed_than_the_quota_has_room_for()
    {
        // CONTRACT §1: at most 50 (configurable) unexpired previews per OU.
        await PublishAsync(await WriteAsync());
        var claimed = await PublishAsync(await WriteAsync());
        await Store.ClaimAsync(Ou, claimed.FileId, "job_1", None);
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await WriteAsync());
        }

        var published = await Task.WhenAll(ids.Select(id => Task.Run(async () => await Store.PublishAsync(Describe(id), 5, None))));

        Assert.Equal(4, published.Count(p => p));
        Assert.Equal(5, (await Store.GetPreviewUsageAsync(Ou, None)).Count);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(published[i], await Store.FindAsync(Ou, ids[i], None) is not null);
        }

        var otherOus = ImportIds.NewFileId();
        await Store.WriteContentAsync("ou-b", otherOus, Time.GetUtcNow().AddHours(1), new MemoryStream([1]), None);
        Assert.True(await Store.PublishAsync(Describe(otherOus) with { Ou = "ou-b" }, 5, None));
    }

    /// <summary>Record equality compares lists by reference; a store that serialises files returns new lists.</summary>
    protected static void AssertSameFile(ImportFile expected, ImportFile? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Headers, actual.Headers);
        Assert.Equal(expected, actual with { Headers = expected.Headers });
    }

    private async Task<string> WriteAsync(TimeSpan? expiresIn = null)
    {
        var id = ImportIds.NewFileId();
        await Store.WriteContentAsync(Ou, id, Time.GetUtcNow() + (expiresIn ?? TimeSpan.FromHours(1)), new MemoryStream("Email\na@x.com\n"u8.ToArray()), None);
        return id;
    }

    private async Task<ImportFile> PublishAsync(string id)
    {
        var file = Describe(id);
        Assert.True(await Store.PublishAsync(file, 50, None));
        return file;
    }

    private ImportFile Describe(string id) => new()
    {
        Ou = Ou,
        FileId = id,
        FileName = "leads.csv",
        SizeBytes = 14,
        UploadedAt = Time.GetUtcNow(),
        ExpiresAt = Time.GetUtcNow().AddHours(1),
        Format = new CsvFileFormat(CsvTextEncoding.Utf8, HasByteOrderMark: false, Delimiter: ','),
        Headers = ["Email"],
        RowCount = 1,
    };

    private async Task<byte[]?> ReadContentAsync(string ou, string id)
    {
        await using var stream = await Store.OpenContentAsync(ou, id, None);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
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
