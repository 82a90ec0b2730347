using System.Buffers;
using System.IO.Pipelines;
using Kenbun.LeadImport.Csv;

namespace Kenbun.LeadImport.Preview;

/// <summary>What one full read of a stored file found.</summary>
internal sealed record CsvFileAnalysis(
    CsvFileFormat Format,
    IReadOnlyList<string> Headers,
    IReadOnlyList<IReadOnlyList<string>> SampleRows,
    long RowCount,
    DetectedIdentifierColumns DetectedIdentifiers);

/// <summary>
/// Reads an upload once from end to end: chooses its delimiter from its head, validates its structure (any problem
/// is an <see cref="InvalidCsvFileException"/>), counts its records, keeps the samples and detects identifier columns.
/// </summary>
internal static class CsvFileAnalyzer
{
    /// <summary>
    /// The least of the file's start the delimiter is chosen from: more than CsvHelper's first buffer (64 KiB), which
    /// its detector looks at, in any encoding.
    /// </summary>
    private const int MinHeadBytes = 256 * 1024;

    /// <summary>How a stored file is read: in pieces as large as the file reader's reads.</summary>
    private static readonly StreamPipeReaderOptions StoredFileReading = new(bufferSize: CsvFileReader.ReadBytes);

    /// <summary>Analyses a stored file, reading it to its end; disposes the stream.</summary>
    public static Task<CsvFileAnalysis> AnalyzeAsync(
        Stream content, CsvTextEncoding encoding, bool hasByteOrderMark, LeadImportOptions options, CancellationToken cancellationToken) =>
        AnalyzeAsync(PipeReader.Create(content, StoredFileReading), encoding, hasByteOrderMark, options, cancellationToken);

    /// <summary>Analyses the file <paramref name="content"/> yields, reading it to its end; completes the reader.</summary>
    public static async Task<CsvFileAnalysis> AnalyzeAsync(
        PipeReader content,
        CsvTextEncoding encoding,
        bool hasByteOrderMark,
        LeadImportOptions options,
        CancellationToken cancellationToken)
    {
        try
        {
            return await AnalyzeFromStartAsync(content, new CsvFileFormat(encoding, hasByteOrderMark, Delimiter: ','), options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await content.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static async Task<CsvFileAnalysis> AnalyzeFromStartAsync(PipeReader content, CsvFileFormat format, LeadImportOptions options, CancellationToken cancellationToken)
    {
        var (head, headLength) = await ReadHeadAsync(content, format, options, cancellationToken).ConfigureAwait(false);
        var detectionStream = PipeReader.Create(head.Buffer.Slice(0, Math.Min(head.Buffer.Length, headLength))).AsStream();
        await using (detectionStream.ConfigureAwait(false))
        {
            format = format with { Delimiter = await DelimiterDetector.DetectAsync(detectionStream, format, cancellationToken).ConfigureAwait(false) };
        }

        // Nothing is consumed: the full read starts at the first byte again.
        content.AdvanceTo(head.Buffer.Start);
        using var reader = await CsvFileReader.OpenAsync(content.AsStream(), format, CsvReadLimits.From(options), cancellationToken).ConfigureAwait(false);
        var detector = new IdentifierColumnDetector(reader.Headers, options.DefaultPhoneRegion);
        var samples = new List<IReadOnlyList<string>>(options.SampleRowCount);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (samples.Count < options.SampleRowCount)
            {
                samples.Add(reader.GetCellsWithoutBlankTail());
            }

            if (reader.RowNumber <= IdentifierColumnDetector.SampledRecords)
            {
                detector.Observe(reader);
            }
        }

        return new CsvFileAnalysis(format, reader.Headers, samples, reader.RowNumber, detector.GetResult());
    }

    /// <summary>
    /// Reads, without consuming it, the head the delimiter is chosen from and its length: <see cref="MinHeadBytes"/>, or
    /// twice as much as often as it takes to hold a line break, up to the longest header record the limits let through
    /// (<see cref="LeadImportOptions.MaxRecordBytes"/> counts UTF-8, which UTF-16 may double, plus a byte order mark and a
    /// line break). The length depends only on the file's bytes, never on how they arrived, so the delimiter is the one
    /// the whole file gives, whether the bytes come from the store or as they are uploaded.
    /// </summary>
    private static async Task<(ReadResult Head, int Length)> ReadHeadAsync(PipeReader content, CsvFileFormat format, LeadImportOptions options, CancellationToken cancellationToken)
    {
        var longest = (int)Math.Min((2L * options.MaxRecordBytes) + 8, Array.MaxLength);
        var length = MinHeadBytes;
        var head = await content.ReadAtLeastAsync(length, cancellationToken).ConfigureAwait(false);
        while (length < longest && (!head.IsCompleted || head.Buffer.Length > length) && !HoldsLineBreak(head.Buffer.Slice(0, Math.Min(head.Buffer.Length, length)), format.Encoding))
        {
            content.AdvanceTo(head.Buffer.Start, head.Buffer.End);
            length = (int)Math.Min(2L * length, longest);
            head = await content.ReadAtLeastAsync(length, cancellationToken).ConfigureAwait(false);
        }

        return (head, length);
    }

    /// <summary>Whether <paramref name="bytes"/>, the start of a file, hold a CR or an LF in the file's encoding.</summary>
    private static bool HoldsLineBreak(ReadOnlySequence<byte> bytes, CsvTextEncoding encoding)
    {
        ReadOnlySpan<byte> span = bytes.IsSingleSegment ? bytes.FirstSpan : bytes.ToArray();
        if (encoding is not (CsvTextEncoding.Utf16LittleEndian or CsvTextEncoding.Utf16BigEndian))
        {
            return span.IndexOfAny((byte)'\r', (byte)'\n') >= 0;
        }

        var low = encoding is CsvTextEncoding.Utf16LittleEndian ? 0 : 1;
        for (var i = 0; i + 1 < span.Length; i += 2)
        {
            if (span[i + 1 - low] == 0 && span[i + low] is (byte)'\r' or (byte)'\n')
            {
                return true;
            }
        }

        return false;
    }
}
