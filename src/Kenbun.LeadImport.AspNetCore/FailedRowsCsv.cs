using Kenbun.LeadImport.Identifiers;
using System.Globalization;
using CsvHelper;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Writes a job's failed rows as a CSV file a spreadsheet opens cleanly and this library imports again without loss
/// (CONTRACT §6): UTF-8 with a byte order mark, the upload's delimiter, the file's headers, then <c>extra_1</c>, … for
/// cells beyond the header (a malformed row), then <c>error</c> and <c>row</c>; every record the same width. Cells a
/// spreadsheet would run as a formula get a leading <c>'</c>, which the import removes again.
/// </summary>
internal static class FailedRowsCsv
{
    /// <summary>
    /// Writes the file. <paramref name="readErrors"/> is called twice: once to learn how many extra columns the rows need,
    /// once to write them, so no row is held in memory.
    /// </summary>
    public static async Task WriteAsync(Stream body, ImportJob job, Func<IAsyncEnumerable<RowError>> readErrors, CancellationToken cancellationToken)
    {
        var headerCount = job.Headers.Count;
        var extraCount = 0;
        await foreach (var error in readErrors().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            extraCount = Math.Max(extraCount, FilledWidth(error.Cells) - headerCount);
        }

        var options = new CsvWriterOptions { Separator = job.Format?.Delimiter ?? ',', WriteByteOrderMark = true };
        var writer = CsvWriter.Create(body, options, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteRecordAsync(HeaderRecord(job.Headers, extraCount), cancellationToken).ConfigureAwait(false);
            var record = new string[headerCount + extraCount + 2];
            await foreach (var error in readErrors().WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < headerCount + extraCount; i++)
                {
                    record[i] = i < error.Cells.Count ? Neutralise(error.Cells[i]) : string.Empty;
                }

                record[^2] = error.Detail is null ? error.Error : $"{error.Error} ({error.Detail})";
                record[^1] = error.Row.ToString(CultureInfo.InvariantCulture);
                await writer.WriteRecordAsync(record, cancellationToken).ConfigureAwait(false);
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The file's headers, <c>extra_1</c> … <c>extra_<paramref name="extraCount"/></c>, <c>error</c> and <c>row</c>; an added
    /// name that a header already has (ignoring case, as the preview compares headers) gets a <c>_2</c>, <c>_3</c>, … suffix.
    /// </summary>
    internal static string[] HeaderRecord(IReadOnlyList<string> headers, int extraCount)
    {
        var taken = new HashSet<string>(headers, StringComparer.OrdinalIgnoreCase);
        var added = Enumerable.Range(1, extraCount).Select(i => $"extra_{i}").Append("error").Append("row")
            .Select(name => Unique(name, taken));
        return [.. headers, .. added];
    }

    /// <summary>
    /// Prefixes <c>'</c> to a cell starting with <c>=</c>, <c>@</c>, tab or CR, or with <c>+</c> or <c>-</c> followed by
    /// anything but a phone number's characters, so no formula runs when the file is opened.
    /// </summary>
    internal static string Neutralise(string cell)
    {
        if (cell.Length == 0)
        {
            return cell;
        }

        var risky = cell[0] switch
        {
            '=' or '@' or '\t' or '\r' => true,
            '+' or '-' => cell.AsSpan().ContainsAnyExcept(PhoneSyntax.Characters),
            _ => false,
        };
        return risky ? "'" + cell : cell;
    }

    /// <summary>The number of cells up to the last one that is not blank: trailing empty cells need no column.</summary>
    private static int FilledWidth(IReadOnlyList<string> cells)
    {
        var width = cells.Count;
        while (width > 0 && string.IsNullOrWhiteSpace(cells[width - 1]))
        {
            width--;
        }

        return width;
    }

    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var suffix = 2; !taken.Add(candidate); suffix++)
        {
            candidate = $"{name}_{suffix}";
        }

        return candidate;
    }
}
