using CsvHelper;

namespace Kenbun.LeadImport.Csv;

/// <summary>
/// Chooses the delimiter of a file among <c>,</c> <c>;</c> tab and <c>|</c>: CsvHelper's detector
/// looks at the header line and the first rows (the last one too: it is given a file that ends with a line break),
/// and its choice stands when it is one of ours and the header line holds it. A header line holding none of them
/// means a one-column file: <c>,</c>.
/// </summary>
internal static class DelimiterDetector
{
    public static async ValueTask<char> DetectAsync(Stream content, CsvFileFormat format, CancellationToken cancellationToken)
    {
        await CsvFileReader.SkipPreambleAsync(content, format, cancellationToken).ConfigureAwait(false);
        var options = CsvFileReader.CreateOptions(format) with { Separator = null, DetectSeparatorHint = true };
        using var csv = CsvReader.Create(new LineEndedStream(content, format.GetTextEncoding()), options, leaveOpen: true);
        if (!await csv.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return ',';
        }

        var headerLine = System.Text.Encoding.UTF8.GetString(csv.RawRecord);
        return Choose(headerLine, csv.Separator);
    }

    internal static char Choose(string headerLine, char detected)
    {
        if (CsvFileFormat.Delimiters.Contains(detected) && headerLine.Contains(detected, StringComparison.Ordinal))
        {
            return detected;
        }

        var best = ',';
        var bestCount = 0;
        foreach (var candidate in CsvFileFormat.Delimiters)
        {
            var count = headerLine.AsSpan().Count(candidate);
            if (count > bestCount)
            {
                (best, bestCount) = (candidate, count);
            }
        }

        return best;
    }
}

