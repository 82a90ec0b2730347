using System.Buffers;
using System.Text;
using System.Text.Json;
using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>A lead one batch of <see cref="ByHandImport"/> creates or updates: its fields merged over the batch's rows.</summary>
internal sealed record ByHandLead(long Id, bool IsNew, string?[] Fields)
{
    /// <summary>The fields set, as a JSON object (<see cref="ByHandRowReader.FieldNames"/> → value).</summary>
    public string FieldsJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            for (var f = 0; f < Fields.Length; f++)
            {
                if (Fields[f] is { } value)
                {
                    json.WriteString(ByHandRowReader.FieldNames[f], value);
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>What one batch writes: its leads, and the identifiers it gives them in row order (a store keeps each one's first owner).</summary>
internal sealed record ByHandChanges(IReadOnlyCollection<ByHandLead> Leads, IReadOnlyList<(IdentifierKind Kind, string Value, long Lead)> Identifiers);

/// <summary>
/// Decides a batch of <see cref="ByHandImport"/> in file order: a row whose email no lead owns creates a lead (ids
/// numbered by the import) that owns it, any other updates the owner; every row offers its aliases to its lead.
/// </summary>
internal sealed class ByHandDecider
{
    private long _lastLeadId;

    /// <summary>The changes of <paramref name="rows"/>, given the owners of their emails before the batch (filled in as leads are created).</summary>
    public ByHandChanges Decide(IReadOnlyList<ByHandRow> rows, Dictionary<string, long> owners)
    {
        var leads = new Dictionary<long, ByHandLead>();
        var identifiers = new List<(IdentifierKind, string, long)>(rows.Count * 3);
        foreach (var row in rows)
        {
            var isNew = !owners.TryGetValue(row.Email, out var id);
            if (isNew)
            {
                id = owners[row.Email] = ++_lastLeadId;
                identifiers.Add((IdentifierKind.Email, row.Email, id));
            }

            if (!leads.TryGetValue(id, out var lead))
            {
                leads[id] = lead = new ByHandLead(id, isNew, new string?[row.Fields.Length]);
            }

            for (var f = 0; f < row.Fields.Length; f++)
            {
                lead.Fields[f] = row.Fields[f] ?? lead.Fields[f];
            }

            foreach (var (kind, value) in row.Aliases)
            {
                identifiers.Add((kind, value, id));
            }
        }

        return new ByHandChanges(leads.Values, identifiers);
    }
}
