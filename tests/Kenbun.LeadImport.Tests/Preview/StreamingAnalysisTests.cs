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
/// decides an encoding its first bytes did not announce. Either way it must find exactly what a read of the stored file finds.
/// </summary>
public class StreamingAnalysisTests
{
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
             select new Upload(string.Join("\n", records.Take(6)), isLong, encoding, pieceSeed)).ToArbitrary(),
            upload =>
            {
                using var harness = new ImportHarness();
                var bytes = upload.Bytes();

                Assert.Equal(StoredFileOutcome(bytes), PreviewOutcome(harness, new PieceStream(bytes, upload.PieceSeed)));
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
        using var harness = WithFiles(files => new ReadsSynchronously(files));
        var csv = "Email,Name\n" + string.Concat(Enumerable.Range(0, 50_000).Select(i => $"p{i}@example.com,Name {i}\n"));

        var preview = await harness.PreviewAsync(csv);

        Assert.Equal(50_000, preview.RowCount);
        Assert.Equal(["p0@example.com", "Name 0"], preview.SampleRows[0]);
    }

    [Fact]
    public async Task A_broken_file_past_the_size_limit_is_refused_for_its_size()
    {
        // The analysis meets the open quote long before the upload passes the limit; the upload's own check comes first.
        using var harness = new ImportHarness(o => o.MaxFileBytes = 100_000);
        var bytes = Encoding.UTF8.GetBytes("Email,Name\n\"open,x\n" + new string('x', 100_000));

        await Assert.ThrowsAsync<FileTooLargeException>(() => harness.PreviewAsync(bytes));

        Assert.Equal(0, harness.StoredFileCount);
    }

    [Fact]
    public async Task A_broken_file_is_refused_with_its_line_and_leaves_nothing()
    {
        using var harness = new ImportHarness();
        var bytes = Encoding.UTF8.GetBytes("Email,Name\na@example.com,\"open\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"p{i}@example.com,Name\n")));

        var error = await Assert.ThrowsAsync<InvalidCsvFileException>(() => harness.PreviewAsync(bytes));

        Assert.Equal(StoredFileOutcome(bytes), error.Message);
        Assert.Equal(0, harness.StoredFileCount);
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
    private static string StoredFileOutcome(byte[] bytes)
    {
        try
        {
            var inspection = new InspectingUploadStream(new MemoryStream(bytes), long.MaxValue);
            inspection.CopyTo(Stream.Null);
            var (encoding, hasByteOrderMark) = inspection.DecideEncoding();
            var analysis = CsvFileAnalyzer.AnalyzeAsync(new MemoryStream(bytes), encoding, hasByteOrderMark, new LeadImportOptions(), CancellationToken.None)
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
