using System.Text;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Preview;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Tests.Preview;

/// <summary>CONTRACT §2, the preview response: ids, names, samples, counts, detection, suggestions, expiry.</summary>
public class PreviewTests
{
    private const string ApiExample =
        "Email,First Name,Last Name,Company,Phone\n" +
        "jane@example.com,Jane,Doe,Example Inc,+1-555-0100\n" +
        "john@example.com,John,Smith,Acme Corp,+1-555-0101\n";

    private readonly ImportHarness _harness = new();

    [Fact]
    public async Task The_api_example_file_previews_as_the_api_shows()
    {
        var preview = await _harness.PreviewAsync(ApiExample);

        Assert.Equal("leads.csv", preview.FileName);
        Assert.Equal(["Email", "First Name", "Last Name", "Company", "Phone"], preview.Headers);
        Assert.Equal(
            [["jane@example.com", "Jane", "Doe", "Example Inc", "+1-555-0100"], ["john@example.com", "John", "Smith", "Acme Corp", "+1-555-0101"]],
            preview.SampleRows);
        Assert.Equal(2, preview.RowCount);
        Assert.Equal(["Email"], preview.AutoDetectedIdentifiers.EmailColumns);
        Assert.Equal(["Phone"], preview.AutoDetectedIdentifiers.PhoneColumns);
        Assert.Equal(new SuggestedIdentifier("Email", IdentifierKind.Email), preview.SuggestedPrimaryIdentifier);
        Assert.Equal(
            new Dictionary<string, string> { ["First Name"] = "first_name", ["Last Name"] = "last_name", ["Company"] = "company" },
            preview.SuggestedFieldMappings);
    }

    [Fact]
    public async Task File_ids_are_preview_and_128_random_bits_url_safe()
    {
        var ids = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var preview = await _harness.PreviewAsync(ApiExample);
            Assert.Matches("^preview_[A-Za-z0-9_-]{22}$", preview.FileId);
            Assert.True(ids.Add(preview.FileId));
        }
    }

    [Fact]
    public async Task Expires_at_is_upload_time_plus_one_hour()
    {
        var preview = await _harness.PreviewAsync(ApiExample);

        Assert.Equal(_harness.Time.GetUtcNow() + TimeSpan.FromHours(1), preview.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, preview.ExpiresAt.Offset);
    }

    [Fact]
    public async Task The_preview_lifetime_is_configurable()
    {
        using var harness = new ImportHarness(o => o.PreviewLifetime = TimeSpan.FromMinutes(5));

        var preview = await harness.PreviewAsync(ApiExample);

        Assert.Equal(harness.Time.GetUtcNow() + TimeSpan.FromMinutes(5), preview.ExpiresAt);
    }

    [Fact]
    public async Task Sample_rows_are_the_first_five_records_and_row_count_counts_them_all()
    {
        var csv = "Email\n" + string.Concat(Enumerable.Range(1, 12).Select(i => $"user{i}@x.com\n"));

        var preview = await _harness.PreviewAsync(csv);

        Assert.Equal(12, preview.RowCount);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => new[] { $"user{i}@x.com" }), preview.SampleRows);
    }

    [Fact]
    public async Task The_number_of_sample_rows_is_configurable()
    {
        using var harness = new ImportHarness(o => o.SampleRowCount = 2);

        var preview = await harness.PreviewAsync("a\n1\n2\n3\n");

        Assert.Equal(2, preview.SampleRows.Count);
        Assert.Equal(3, preview.RowCount);
    }

    [Theory]
    [InlineData("../../etc/passwd.csv", "passwd.csv")]
    [InlineData(@"C:\Users\ann\Desktop\leads.csv", "leads.csv")]
    [InlineData("lea\u0000ds\r\n.csv", "leads.csv")]
    [InlineData("evil\u202Efdp.csv", "evilfdp.csv")]
    [InlineData("", "upload.csv")]
    [InlineData("../", "upload.csv")]
    [InlineData("  spaced.csv  ", "spaced.csv")]
    public async Task File_name_is_display_text_without_path_or_control_characters(string given, string expected)
    {
        var preview = await _harness.PreviewAsync(ApiExample, given);

        Assert.Equal(expected, preview.FileName);
    }

    [Fact]
    public async Task File_name_is_cut_to_255_characters()
    {
        var preview = await _harness.PreviewAsync(ApiExample, new string('n', 300) + ".csv");

        Assert.Equal(new string('n', 255), preview.FileName);
    }

    [Fact]
    public async Task The_stored_file_keeps_what_the_preview_decided()
    {
        var preview = await _harness.PreviewAsync("Email;Name\na@x.com;Zoë\n");

        var file = await _harness.Files.FindAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None);

        Assert.NotNull(file);
        Assert.Equal(';', file.Format.Delimiter);
        Assert.Equal("utf-8", file.Format.EncodingName);
        Assert.Equal(["Email", "Name"], file.Headers);
        Assert.Equal(1, file.RowCount);
        Assert.Null(file.JobId);
    }

    [Fact]
    public async Task A_preview_is_invisible_to_other_ous()
    {
        var preview = await _harness.PreviewAsync(ApiExample);

        Assert.Null(await _harness.Files.FindAsync("ou-other", preview.FileId, CancellationToken.None));
        Assert.Equal(0, (await _harness.Files.GetPreviewUsageAsync("ou-other", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_preview_expires_by_the_injected_clock()
    {
        var preview = await _harness.PreviewAsync(ApiExample);

        _harness.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(await _harness.Files.FindAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None));

        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await _harness.Files.FindAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None));
        Assert.Equal(1, (await _harness.Storage.SweepAsync(DateTimeOffset.MinValue, CancellationToken.None)).DeletedFiles);
        Assert.Null(await _harness.Files.OpenContentAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None));
    }

    [Fact]
    public async Task A_file_a_real_import_took_over_outlives_the_preview_expiry()
    {
        var preview = await _harness.PreviewAsync(ApiExample);
        var started = Assert.IsType<StartImportResult.Started>(
            await _harness.Service.StartAsync(ImportHarness.Ou, ImportHost.ByEmail() with { FileId = preview.FileId }, CancellationToken.None));

        _harness.Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(0, (await _harness.Storage.SweepAsync(DateTimeOffset.MinValue, CancellationToken.None)).DeletedFiles);
        Assert.Equal(started.Job.JobId, (await _harness.Files.FindAsync(ImportHarness.Ou, preview.FileId, CancellationToken.None))?.JobId);
    }

    [Fact]
    public async Task An_ou_holds_at_most_the_preview_quota_and_learns_when_to_retry()
    {
        using var harness = new ImportHarness(o => o.MaxPreviewsPerOu = 3);
        for (var i = 0; i < 3; i++)
        {
            await harness.PreviewAsync(ApiExample);
            harness.Time.Advance(TimeSpan.FromMinutes(10));
        }

        var error = await Assert.ThrowsAsync<QuotaExceededException>(() => harness.PreviewAsync(ApiExample));

        Assert.Equal(TimeSpan.FromMinutes(30), error.RetryAfter);
        await harness.PreviewAsync(ApiExample, ou: "ou-other");
    }

    [Fact]
    public async Task Concurrent_uploads_never_take_an_ou_past_its_preview_quota_and_the_refused_leave_nothing()
    {
        // CONTRACT §1: at most 50 (configurable) unexpired previews per OU; past that, 429.
        const int uploads = 10;
        InMemoryStorage? stored = null;
        using var harness = new ImportHarness(
            o => o.MaxPreviewsPerOu = 3,
            storage: b => b.UseStorage(p =>
            {
                stored = new InMemoryStorage(p.GetRequiredService<TimeProvider>());
                return new StorageWithFiles(stored, new WritesMeetBeforeGoingOn(stored.Files, uploads));
            }));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, uploads).Select(_ => Task.Run(async () =>
        {
            try
            {
                await harness.PreviewAsync(ApiExample);
                return true;
            }
            catch (QuotaExceededException)
            {
                return false;
            }
        })));

        Assert.Equal(3, outcomes.Count(published => published));
        Assert.Equal(3, (await harness.Files.GetPreviewUsageAsync(ImportHarness.Ou, CancellationToken.None)).Count);
        Assert.Equal(3, stored!.FileCount);
    }

    /// <summary>Holds every upload after the quota check until all have arrived, so they all pass it before any publishes.</summary>
    private sealed class WritesMeetBeforeGoingOn(IImportFileStore inner, int writers) : DelegatingImportFileStore(inner)
    {
        private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public override async ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _arrived) == writers)
            {
                _allArrived.SetResult();
            }

            await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            await base.WriteContentAsync(ou, fileId, expiresAt, content, cancellationToken);
        }
    }

    [Fact]
    public async Task Expired_and_claimed_previews_do_not_count_against_the_quota()
    {
        using var harness = new ImportHarness(o => o.MaxPreviewsPerOu = 2);
        var claimed = await harness.PreviewAsync(ApiExample);
        Assert.IsType<StartImportResult.Started>(
            await harness.Service.StartAsync(ImportHarness.Ou, ImportHost.ByEmail() with { FileId = claimed.FileId }, CancellationToken.None));
        await harness.PreviewAsync(ApiExample);
        harness.Time.Advance(TimeSpan.FromHours(1));

        await harness.PreviewAsync(ApiExample);
        await harness.PreviewAsync(ApiExample);

        Assert.Equal(2, (await harness.Files.GetPreviewUsageAsync(ImportHarness.Ou, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_file_of_exactly_the_limit_is_accepted()
    {
        using var harness = new ImportHarness(o => o.MaxFileBytes = 1000);
        var bytes = Encoding.UTF8.GetBytes("Email\n" + new string('x', 993) + "\n");

        var preview = await harness.PreviewAsync(bytes);

        Assert.Equal(1000, bytes.Length);
        Assert.Equal(1, preview.RowCount);
    }

    [Fact]
    public async Task One_byte_past_the_limit_is_rejected_and_nothing_is_left()
    {
        using var harness = new ImportHarness(o => o.MaxFileBytes = 1000);
        var bytes = Encoding.UTF8.GetBytes("Email\n" + new string('x', 994) + "\n");

        var error = await Assert.ThrowsAsync<FileTooLargeException>(() => harness.PreviewAsync(bytes));

        Assert.Equal(1000, error.LimitBytes);
        Assert.Equal(0, harness.StoredFileCount);
    }

    [Fact]
    public async Task The_size_limit_is_enforced_while_streaming_not_after()
    {
        using var harness = new ImportHarness(o => o.MaxFileBytes = 100_000);
        var endless = new EndlessCsvStream();

        await Assert.ThrowsAsync<FileTooLargeException>(
            () => harness.Service.PreviewAsync(ImportHarness.Ou, "endless.csv", endless, CancellationToken.None));

        Assert.InRange(endless.BytesServed, 100_001, 100_000 + EndlessCsvStream.MaxChunk);
        Assert.Equal(0, harness.StoredFileCount);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, "ZIP")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0 }, "PNG")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37 }, "PDF")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "JPEG")]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }, ".xls")]
    public async Task Content_that_sniffs_as_an_archive_document_or_image_is_unsupported_even_named_csv(byte[] head, string named)
    {
        var error = await _harness.PreviewFailsAsync<UnsupportedFileTypeException>([.. head, .. "rest,of,file\n"u8]);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _harness.StoredFileCount);
    }

    /// <summary>A CSV upload that never ends, counting what it served.</summary>
    private sealed class EndlessCsvStream : Stream
    {
        public const int MaxChunk = 81_920;

        public long BytesServed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesServed; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var chunk = buffer[..Math.Min(buffer.Length, MaxChunk)];
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (BytesServed + i) % 10 == 9 ? (byte)'\n' : (byte)'a';
            }

            BytesServed += chunk.Length;
            return chunk.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
