namespace Kenbun.LeadImport.Preview;

/// <summary>
/// Suggests a profile field for each header whose name means one: the field's own name first, then the host's
/// <see cref="LeadImportOptions.FieldSynonyms"/>, then the built-in <see cref="HeaderSynonyms"/>; names compared compacted.
/// </summary>
internal static class FieldMappingSuggester
{
    /// <summary>Header → field for every header that names one of <paramref name="profileFields"/>; each field is suggested once.</summary>
    public static IReadOnlyDictionary<string, string> Suggest(
        IReadOnlyList<string> headers,
        IEnumerable<string> identifierColumns,
        IEnumerable<string> profileFields,
        IEnumerable<KeyValuePair<string, string>> fieldSynonyms)
    {
        // Compacted field name → field, then every name that suggests a field: field names, the host's, the built-in ones.
        var fields = profileFields.DistinctBy(ColumnNames.Compact).ToDictionary(ColumnNames.Compact, StringComparer.Ordinal);
        var fieldsByName = new Dictionary<string, string>(fields, StringComparer.Ordinal);
        foreach (var (synonym, target) in fieldSynonyms.Concat(HeaderSynonyms.Fields))
        {
            if (fields.TryGetValue(ColumnNames.Compact(target), out var field))
            {
                fieldsByName.TryAdd(ColumnNames.Compact(synonym), field);
            }
        }

        var skip = identifierColumns.ToHashSet(StringComparer.Ordinal);
        var suggestions = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            if (!skip.Contains(header) && fieldsByName.TryGetValue(ColumnNames.Compact(header), out var field) && used.Add(field))
            {
                suggestions[header] = field;
            }
        }

        return suggestions;
    }
}
