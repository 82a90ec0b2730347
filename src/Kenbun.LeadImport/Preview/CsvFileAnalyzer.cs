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
/// Reads a stored upload once from end to end: chooses its delimiter, validates its structure (any problem
/// is an <see cref="InvalidCsvFileException"/>), counts its records, keeps the samples and detects identifier columns.
/// </summary>
internal static class CsvFileAnalyzer
{
    public static async Task<CsvFileAnalysis> AnalyzeAsync(
        Func<CancellationToken, ValueTask<Stream>> openContent,
        CsvTextEncoding encoding,
        bool hasByteOrderMark,
        LeadImportOptions options,
        CancellationToken cancellationToken)
    {
        var format = new CsvFileFormat(encoding, hasByteOrderMark, Delimiter: ',');
        var detectionStream = await openContent(cancellationToken).ConfigureAwait(false);
        await using (detectionStream.ConfigureAwait(false))
        {
            format = format with { Delimiter = await DelimiterDetector.DetectAsync(detectionStream, format, cancellationToken).ConfigureAwait(false) };
        }

        var content = await openContent(cancellationToken).ConfigureAwait(false);
        using var reader = await CsvFileReader.OpenAsync(content, format, CsvReadLimits.From(options), cancellationToken).ConfigureAwait(false);
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
