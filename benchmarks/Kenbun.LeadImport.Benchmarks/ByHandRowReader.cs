using CsvHelper;
using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>A row as <see cref="ByHandImport"/> keeps it: its normalised email, its aliases and its mapped fields (null when empty).</summary>
internal sealed record ByHandRow(string Email, (IdentifierKind Kind, string Value)[] Aliases, string?[] Fields);

/// <summary>
/// Reads the columns of the import's mappings (<see cref="ImportJobs.Request"/>) from the current record of a CsvHelper
/// reader, normalised as a developer would by hand: an email is valid when it has an <c>@</c> with text on both sides
/// (the hand-written dedup's <c>LIKE '%_@_%'</c>), a phone when it has 7 digits or more.
/// </summary>
internal sealed class ByHandRowReader
{
    private const string AliasPrefix = "_alias_";

    private readonly CsvReader _csv;
    private readonly int _email;
    private readonly (int Index, IdentifierKind Kind)[] _aliases;
    private readonly int[] _fields;

    public ByHandRowReader(CsvReader csv)
    {
        var request = ImportJobs.Request("by-hand");
        _csv = csv;
        _email = csv.GetFieldIndex(request.PrimaryIdentifier!.Column!);
        _aliases = [.. request.AliasMappings!.Select(a => (csv.GetFieldIndex(a.Key), Kind(a.Value!)))];
        _fields = [.. request.FieldMappings!.Keys.Select(column => csv.GetFieldIndex(column))];
    }

    /// <summary>The mapped fields' names, in the order of <see cref="ByHandRow.Fields"/>.</summary>
    public static string[] FieldNames { get; } = [.. ImportJobs.Request("by-hand").FieldMappings!.Values.Select(f => f!)];

    /// <summary>The current record as a row, or <see langword="null"/> when its email is not valid.</summary>
    public ByHandRow? Read()
    {
        var email = _csv.GetString(_email).Trim().ToLowerInvariant();
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at < 1 || at == email.Length - 1)
        {
            return null;
        }

        var aliases = new List<(IdentifierKind, string)>(_aliases.Length);
        foreach (var (index, kind) in _aliases)
        {
            if (Normalize(kind, _csv.GetString(index)) is { } value)
            {
                aliases.Add((kind, value));
            }
        }

        var fields = new string?[_fields.Length];
        for (var f = 0; f < fields.Length; f++)
        {
            var cell = _csv.GetString(_fields[f]).Trim();
            fields[f] = cell.Length == 0 ? null : cell;
        }

        return new ByHandRow(email, [.. aliases], fields);
    }

    private static string? Normalize(IdentifierKind kind, string cell)
    {
        var value = kind == IdentifierKind.Phone ? new string([.. cell.Where(char.IsAsciiDigit)]) : cell.Trim().ToLowerInvariant();
        return value.Length >= (kind == IdentifierKind.Phone ? 7 : 1) ? value : null;
    }

    private static IdentifierKind Kind(string aliasTarget) =>
        IdentifierKinds.TryParse(aliasTarget[AliasPrefix.Length..], out var kind) ? kind : throw new ArgumentException($"Not an alias target: {aliasTarget}.", nameof(aliasTarget));
}
