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
    /// How much of the file's start the delimiter is chosen from: the longest header record the limits let through, in
    /// any encoding (<see cref="LeadImportOptions.MaxRecordBytes"/> counts UTF-8, which UTF-16 may double, plus a byte order
    /// mark and a line break), and never less than CsvHelper's first buffer (64 K characters). So the choice is the same
    /// whether the bytes come from the store or as they are uploaded, and the same as from the whole file.
    /// </summary>
    internal static int HeadBytes(LeadImportOptions options) => (int)Math.Min(Math.Max(256 * 1024, (2L * options.MaxRecordBytes) + 8), Array.MaxLength);

    /// <summary>How a stored file is read: in pieces as large as CsvHelper's buffer.</summary>
    private static readonly StreamPipeReaderOptions StoredFileReading = new(bufferSize: 64 * 1024);

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
        var headLength = HeadBytes(options);
        var head = await content.ReadAtLeastAsync(headLength, cancellationToken).ConfigureAwait(false);
        var headBytes = head.Buffer.Slice(0, Math.Min(head.Buffer.Length, headLength));
        var detectionStream = PipeReader.Create(headBytes).AsStream();
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
}
