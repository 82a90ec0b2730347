using CsvHelper;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// The engine's work on a <see cref="LeadFiles"/> file written by hand, as a developer would write it for one store
/// without the library, the yardstick beside the engine: CsvHelper; the email (trimmed, lower case) as the primary
/// identifier, the phone (its digits) and LinkedIn profile (trimmed, lower case) as aliases, the mapped fields as JSON
/// (<see cref="ByHandRowReader"/>); then <see cref="BatchSize"/> rows at a time: look up the batch's emails, decide which
/// leads are new and which are updated (<see cref="ByHandDecider"/>), and commit the leads, the identifiers no lead owns
/// yet and the job's progress row in one transaction (<see cref="IByHandStore"/>). Left out, as a first version by hand
/// would leave them: row errors and warnings, cell length checks, phone numbers by country, retries, resuming, the lead
/// feed and which job created or changed a lead, a second job at once.
/// </summary>
internal static class ByHandImport
{
    /// <summary>The rows of one transaction, the engine's default batch.</summary>
    public const int BatchSize = 1000;

    /// <summary>The OU every lead and identifier is kept under.</summary>
    public const string Ou = "ou-bench";

    /// <summary>Imports every row of <paramref name="file"/> into <paramref name="store"/>; returns the number of rows read.</summary>
    public static async Task<long> RunAsync(byte[] file, IByHandStore store)
    {
        using var csv = CsvReader.Create(file, new CsvReaderOptions { HasHeader = true });
        var reader = new ByHandRowReader(csv);
        var decider = new ByHandDecider();
        var rows = new List<ByHandRow>(BatchSize);
        var read = 0L;
        while (csv.Read())
        {
            if (reader.Read() is { } row)
            {
                rows.Add(row);
            }

            if (++read % BatchSize == 0)
            {
                await CommitAsync(store, decider, rows, read);
            }
        }

        if (read % BatchSize != 0)
        {
            await CommitAsync(store, decider, rows, read);
        }

        return read;
    }

    private static async Task CommitAsync(IByHandStore store, ByHandDecider decider, List<ByHandRow> rows, long processed)
    {
        var owners = await store.LookUpEmailsAsync([.. rows.Select(r => r.Email).Distinct()]);
        await store.CommitAsync(decider.Decide(rows, owners), processed);
        rows.Clear();
    }
}
