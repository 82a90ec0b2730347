using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Preview;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Streams;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Tests.Preview;

/// <summary>
/// A preview analyses its upload while the store writes it, and reads the stored file back only when the whole upload
/// decides an encoding its first bytes did not announce. Either way it must find exactly what a read of the stored file
/// finds: CONTRACT §2's encodings (a file with any invalid UTF-8 is read, all of it, as Windows-1252) and its delimiter,
/// detected from the header line and the first rows.
/// </summary>
public class StreamingAnalysisTests
{
    /// <summary>Long enough to turn a hang into a failure on a busy machine, never reached by a preview that works.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    /// <summary>A header of 501 columns, one more than a file may have: refused as soon as it is read.</summary>
    private static readonly string TooManyColumns = string.Join(",", Enumerable.Range(0, 501).Select(i => $"c{i}")) + "\n";

    private static readonly string[] Cells = ["Email", "Phone", "a@b.example", "+49 30 1234567", "Zoë", "x", "", "\"x,y\"", "\"p;q|r\"", "\"line\nbreak\"", "\"open"];

    private static readonly string[] Delimiters = [",", ";", "\t", "|"];

    /// <summary>
    /// Files of a few records (some long enough to pass the head the delimiter is chosen from, some broken), in every
    /// encoding, arriving in pieces of any size: the preview equals the analysis of the stored bytes, or refuses the file
    /// with the same message.
    /// </summary>
    [Property(MaxTest = 150)]
    public Property The_preview_finds_what_a_read_of_the_stored_file_finds_whatever_pieces_the_upload_arrives_in() =>
        Prop.ForAll(
            (from records in (from cells in Gen.Elements(Cells).NonEmptyListOf()
                              from delimiter in Gen.Elements(Delimiters)
                              select string.Join(delimiter, cells.Take(5))).NonEmptyListOf()
             from isLong in Gen.Elements(false, false, true)
             from encoding in Gen.Elements(UploadEncodings.All)
             from pieceSeed in Gen.Choose(0, int.MaxValue)
             where records.Any(r => r.Length > 0) // an empty upload is refused before any analysis (PreviewTests)
             select new Upload(string.Join("\n", records.Take(6)), isLong, encoding, pieceSeed)).ToArbitrary(),
            upload =>
            {
                using var harness = new ImportHarness();
                var bytes = upload.Bytes();

                Assert.Equal(StoredFileOutcome(bytes, harness.Options), PreviewOutcome(harness, new PieceStream(bytes, upload.PieceSeed)));
            });

    [Fact]
    public async Task A_utf8_upload_is_not_read_back_from_the_store()
    {
        var reads = 0;
        using var harness = WithFiles(files => new CountingReads(files, () => Interlocked.Increment(ref reads)));

        var preview = await harness.PreviewAsync("Email,Name\nzoe@example.com,Zoë\n");

        Assert.Equal(0, reads);
        Assert.Equal(["zoe@example.com", "Zoë"], preview.SampleRows[0]);
    }

    [Fact]
    public async Task A_windows_1252_upload_is_read_back_in_its_encoding()
    {
        var reads = 0;
        using var harness = WithFiles(files => new CountingReads(files, () => Interlocked.Increment(ref reads)));

        var preview = await harness.PreviewAsync(UploadEncodings.Windows1252.GetBytes("Email;Name\nzoe@example.com;Zoë\n"));

        Assert.Equal(1, reads);
        Assert.Equal("windows-1252", preview.Encoding);
        Assert.Equal(';', preview.Delimiter);
        Assert.Equal(["zoe@example.com", "Zoë"], preview.SampleRows[0]);
    }

    [Fact]
    public async Task A_store_that_reads_the_upload_synchronously_gets_the_same_preview()
    {
        var reads = 0;
        using var harness = WithFiles(files => new CountingReads(new ReadsSynchronously(files), () => Interlocked.Increment(ref reads)));
        var csv = "Email,Name\n" + string.Concat(Enumerable.Range(0, 50_000).Select(i => $"p{i}@example.com,Name {i}\n"));

        var preview = await harness.PreviewAsync(csv).WaitAsync(Deadline);

        Assert.Equal(0, reads);
        Assert.Equal(50_000, preview.RowCount);
        Assert.Equal(["p0@example.com", "Name 0"], preview.SampleRows[0]);
    }

    [Fact]
    public async Task A_file_broken_from_its_header_on_and_past_the_size_limit_is_refused_for_its_size()
    {
        // The analysis refuses the header at once, long before the upload passes the limit; the upload's own check wins.
        using var harness = new ImportHarness(o => o.MaxFileBytes = 2_000_000);
        var bytes = Encoding.UTF8.GetBytes(TooManyColumns + new string('x', 2_000_000));

        await Assert.ThrowsAsync<FileTooLargeException>(() => harness.PreviewAsync(bytes).WaitAsync(Deadline));

        Assert.Equal(0, harness.StoredFileCount);
    }

    [Fact]
    public async Task Utf16_text_that_breaks_is_refused_for_that_even_when_its_header_is_broken_too()
    {
        using var harness = new ImportHarness();
        byte[] bytes = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(TooManyColumns + "a@example.com\n"), 0x00, 0xD8, .. Encoding.Unicode.GetBytes("x\n")];

        var error = await Assert.ThrowsAsync<InvalidCsvFileException>(() => harness.PreviewAsync(bytes).WaitAsync(Deadline));

        Assert.StartsWith("The file is not valid UTF-16 text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_refused_at_once_ends_a_large_upload_with_its_error_and_leaves_nothing()
    {
        // Far more than the pipe holds arrives after the analysis stopped reading: the upload must not wait for it.
        using var harness = new ImportHarness();
        var bytes = Encoding.UTF8.GetBytes(TooManyColumns + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"p{i}@example.com\n")));

        var error = await Assert.ThrowsAsync<InvalidCsvFileException>(() => harness.PreviewAsync(bytes).WaitAsync(Deadline));

        Assert.Equal(StoredFileOutcome(bytes), error.Message);
        Assert.Equal(0, harness.StoredFileCount);
    }

    [Fact]
    public async Task A_broken_file_is_refused_with_its_line_and_leaves_nothing()
    {
        using var harness = new ImportHarness();
        var bytes = Encoding.UTF8.GetBytes("Email,Name\na@example.com,\"open\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"p{i}@example.com,Name\n")));

        var error = await Assert.ThrowsAsync<InvalidCsvFileException>(() => harness.PreviewAsync(bytes).WaitAsync(Deadline));

        Assert.Equal(StoredFileOutcome(bytes), error.Message);
        Assert.Equal(0, harness.StoredFileCount);
    }

    [Fact]
    public async Task A_header_longer_than_the_head_read_for_the_delimiter_still_decides_it()
    {
        using var harness = new ImportHarness();
        var header = new string('h', 300_000) + ";Email";

        var preview = await harness.PreviewAsync(header + "\nx;a@example.com\n").WaitAsync(Deadline);

        Assert.Equal(';', preview.Delimiter);
        Assert.Equal(["x", "a@example.com"], preview.SampleRows[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_utf16_header_longer_than_the_head_is_read_whole_though_its_bytes_hold_those_of_line_breaks(bool bigEndian)
    {
        // U+0A0D is the bytes 0D 0A in one byte order and 0A 0D in the other: neither is a line break in UTF-16.
        using var harness = new ImportHarness();
        var text = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        var header = new string('\u0A0D', 150_000) + ";Email";

        var preview = await harness.PreviewAsync([.. text.GetPreamble(), .. text.GetBytes(header + "\nx;a@example.com\n")]).WaitAsync(Deadline);

        Assert.Equal(';', preview.Delimiter);
        Assert.Equal(["x", "a@example.com"], preview.SampleRows[0]);
    }

    [Fact]
    public async Task A_cancelled_preview_ends_even_when_its_store_reads_on_regardless()
    {
        // The store ignores the token and reads the whole upload: the analysis must still drain the pipe and end.
        using var harness = WithFiles(files => new IgnoresCancellation(files));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var csv = "Email\n" + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"p{i}@example.com\n"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => harness.Service.PreviewAsync(ImportHarness.Ou, "leads.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)), cancelled.Token).WaitAsync(Deadline));
    }

    private static ImportHarness WithFiles(Func<IImportFileStore, IImportFileStore> files) =>
        new(storage: b => b.UseStorage(p =>
        {
            var stored = new InMemoryStorage(p.GetRequiredService<TimeProvider>());
            return new StorageWithFiles(stored, files(stored.Files));
        }));

    /// <summary>What the preview shows of the file, or the message it refused it with.</summary>
    private static string PreviewOutcome(ImportHarness harness, Stream upload)
    {
        try
        {
            var preview = harness.Service.PreviewAsync(ImportHarness.Ou, "leads.csv", upload, CancellationToken.None).GetAwaiter().GetResult();
            return Describe(preview.Encoding, preview.Delimiter, preview.Headers, preview.SampleRows, preview.RowCount, preview.AutoDetectedIdentifiers);
        }
        catch (InvalidCsvFileException e)
        {
            return e.Message;
        }
    }

    /// <summary>What reading the stored bytes in the encoding the whole upload decides finds, or the message it refuses them with.</summary>
    private static string StoredFileOutcome(byte[] bytes, LeadImportOptions? options = null)
    {
        try
        {
            var inspection = new InspectingUploadStream(new MemoryStream(bytes), long.MaxValue);
            inspection.CopyTo(Stream.Null);
            var (encoding, hasByteOrderMark) = inspection.DecideEncoding();
            var analysis = CsvFileAnalyzer.AnalyzeAsync(new MemoryStream(bytes), encoding, hasByteOrderMark, options ?? new LeadImportOptions(), CancellationToken.None)
                .GetAwaiter().GetResult();
            return Describe(analysis.Format.EncodingName, analysis.Format.Delimiter, analysis.Headers, analysis.SampleRows, analysis.RowCount, analysis.DetectedIdentifiers);
        }
        catch (InvalidCsvFileException e)
        {
            return e.Message;
        }
    }

    private static string Describe(
        string encoding, char delimiter, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> samples, long rows, DetectedIdentifierColumns detected) =>
        JsonSerializer.Serialize(new { encoding, delimiter, headers, samples, rows, detected });

    /// <summary>An upload of <paramref name="Text"/>, whose records after the first repeat past 300,000 characters when <paramref name="IsLong"/>.</summary>
    public sealed record Upload(string Text, bool IsLong, Encoding Encoding, int PieceSeed)
    {
        private const int LongText = 300_000;

        public byte[] Bytes()
        {
            var text = new StringBuilder(Text);
            var records = Text.AsSpan(Text.IndexOf('\n', StringComparison.Ordinal) + 1);
            while (IsLong && text.Length < LongText)
            {
                text.Append('\n').Append(records);
            }

            return [.. Encoding.GetPreamble(), .. Encoding.GetBytes(text.ToString())];
        }

        public override string ToString() =>
            $"{Encoding.WebName}{(Encoding.GetPreamble().Length > 0 ? " with BOM" : "")}{(IsLong ? ", long" : "")}, pieces {PieceSeed}: {Text.Replace("\n", "\\n", StringComparison.Ordinal)}";
    }

    /// <summary>Serves its bytes in pieces of 1 byte to 70 KB, as a network does.</summary>
    private sealed class PieceStream(byte[] bytes, int seed) : ForwardReadStream
    {
        private readonly Random _random = new(seed);
        private int _position;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var length = Math.Min(Math.Min(buffer.Length, _random.Next(1, 70_000)), bytes.Length - _position);
            bytes.AsSpan(_position, length).CopyTo(buffer.Span);
            _position += length;
            return ValueTask.FromResult(length);
        }
    }

    private sealed class CountingReads(IImportFileStore inner, Action read) : DelegatingImportFileStore(inner)
    {
        public override ValueTask<Stream?> OpenContentAsync(string ou, string fileId, CancellationToken cancellationToken)
        {
            read();
            return base.OpenContentAsync(ou, fileId, cancellationToken);
        }
    }

    /// <summary>A store that reads the whole upload with <see cref="CancellationToken.None"/>, whatever the caller's token says.</summary>
    private sealed class IgnoresCancellation(IImportFileStore inner) : DelegatingImportFileStore(inner)
    {
        public override ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken) =>
            base.WriteContentAsync(ou, fileId, expiresAt, content, CancellationToken.None);
    }

    /// <summary>A store written against <see cref="Stream.Read(byte[], int, int)"/>, as a third-party store may be.</summary>
    private sealed class ReadsSynchronously(IImportFileStore inner) : DelegatingImportFileStore(inner)
    {
        public override ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken)
        {
            var copy = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
            {
                copy.Write(buffer, 0, read);
            }

            copy.Position = 0;
            return base.WriteContentAsync(ou, fileId, expiresAt, copy, cancellationToken);
        }
    }
}
