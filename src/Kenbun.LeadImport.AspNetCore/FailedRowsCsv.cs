using CsvHelper;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Writes a job's failed rows as CSV: the file's header plus an <c>error</c> column, each row's cells as the file had
/// them. Cells a spreadsheet would run as a formula get a leading <c>'</c>, which the import removes again.
/// </summary>
internal static class FailedRowsCsv
{
    public static async Task WriteAsync(Stream body, ImportJob job, IAsyncEnumerable<RowError> errors, CancellationToken cancellationToken)
    {
        var writer = CsvWriter.Create(body, new CsvWriterOptions(), leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteRecordAsync([.. job.Headers, "error"], cancellationToken).ConfigureAwait(false);
            await foreach (var error in errors.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var cells = error.Cells;
                var record = Enumerable.Range(0, job.Headers.Count).Select(i => i < cells.Count ? Neutralise(cells[i]) : string.Empty)
                    .Append(error.Error)
                    .Concat(cells.Skip(job.Headers.Count).Select(Neutralise))
                    .ToArray();
                await writer.WriteRecordAsync(record, cancellationToken).ConfigureAwait(false);
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
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
            '+' or '-' => cell.AsSpan().ContainsAnyExcept("0123456789 +-.()/"),
            _ => false,
        };
        return risky ? "'" + cell : cell;
    }
}
