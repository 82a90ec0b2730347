using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Engine;

/// <summary>
/// Turns the reader's current record into a prepared row: the first error that applies, in the contract's order
/// (malformed row, missing identifier, value too long, invalid identifier), or its normalised identifiers and values.
/// Only the primary identifier and mapped columns are read; a dry run, which stores no lead, checks mapped fields but
/// keeps none of their values (<paramref name="keepsFieldValues"/> false).
/// </summary>
internal sealed class RowPreparer(ColumnPlan plan, int maxCellLength, bool keepsFieldValues = true)
{
    public void Prepare(CsvFileReader reader, RowBatch batch)
    {
        var r = batch.Count++;
        ref var row = ref batch.Rows[r];
        row.Row = reader.RowNumber;
        row.Error = FindError(reader, out var primary);
        if (row.Error is not null)
        {
            return;
        }

        row.Primary = new IdentifierKey(plan.PrimaryKind, primary!);
        batch.Identifiers.Add(row.Primary);

        var fields = keepsFieldValues ? plan.Fields : [];
        for (var f = 0; f < fields.Length; f++)
        {
            if (!reader.IsBlank(fields[f].Index))
            {
                batch.FieldValues[(r * fields.Length) + f] = CellValues.Clean(reader.GetCellChars(fields[f].Index)).ToString();
            }
        }

        var aliases = plan.Aliases;
        for (var a = 0; a < aliases.Length; a++)
        {
            if (reader.IsBlank(aliases[a].Index))
            {
                continue;
            }

            var value = CellValues.Clean(reader.GetCellChars(aliases[a].Index));
            ref var cell = ref batch.Aliases[(r * aliases.Length) + a];
            if (IdentifierNormalizer.TryNormalizeInRegion(aliases[a].Kind, value, plan.PhoneRegion, out var normalized))
            {
                cell.Identifier = new IdentifierKey(aliases[a].Kind, normalized);
                batch.Identifiers.Add(cell.Identifier.Value);
            }
            else
            {
                cell.InvalidValue = value.ToString();
            }
        }
    }

    private RowError? FindError(CsvFileReader reader, out string? normalizedPrimary)
    {
        normalizedPrimary = null;
        for (var i = plan.HeaderCount; i < reader.FieldCount; i++)
        {
            if (!reader.IsBlank(i))
            {
                return Fail(reader, RowErrors.MalformedRow, reader.GetCell(i).Trim()) with
                {
                    Detail = $"{LastFilledCell(reader) + 1} cells; the header has {plan.HeaderCount}",
                };
            }
        }

        if (reader.IsBlank(plan.PrimaryIndex))
        {
            return Fail(reader, RowErrors.MissingRequiredIdentifier, string.Empty);
        }

        foreach (var index in plan.CheckedIndices)
        {
            // A cell has at least as many UTF-8 bytes as characters: only a long one needs decoding to be measured.
            if (reader.GetUtf8Length(index) > maxCellLength && reader.GetCellChars(index).Trim().Length > maxCellLength)
            {
                return Fail(reader, RowErrors.ValueTooLong, reader.GetCell(index).Trim());
            }
        }

        var primary = CellValues.Clean(reader.GetCellChars(plan.PrimaryIndex));
        return IdentifierNormalizer.TryNormalizeInRegion(plan.PrimaryKind, primary, plan.PhoneRegion, out normalizedPrimary)
            ? null
            : Fail(reader, RowErrors.InvalidFormat(plan.PrimaryKind), primary.ToString());
    }

    private static int LastFilledCell(CsvFileReader reader)
    {
        var last = reader.FieldCount - 1;
        while (reader.IsBlank(last))
        {
            last--;
        }

        return last;
    }

    private static RowError Fail(CsvFileReader reader, string error, string value) =>
        new(reader.RowNumber, error, CellValues.Reported(value), reader.GetCells());
}
