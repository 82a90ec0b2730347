namespace Kenbun.LeadImport.Preview;

/// <summary>Suggests a profile field for each header whose name means one, by normalised name and common synonyms.</summary>
internal static class FieldMappingSuggester
{
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal)
    {
        ["givenname"] = "first_name",
        ["forename"] = "first_name",
        ["fname"] = "first_name",
        ["surname"] = "last_name",
        ["familyname"] = "last_name",
        ["lname"] = "last_name",
        ["organisation"] = "company",
        ["organization"] = "company",
        ["companyname"] = "company",
        ["employer"] = "company",
        ["accountname"] = "company",
        ["jobtitle"] = "title",
        ["position"] = "title",
        ["role"] = "title",
        ["note"] = "notes",
        ["comment"] = "notes",
        ["comments"] = "notes",
        ["remarks"] = "notes",
        ["web"] = "website",
        ["url"] = "website",
        ["homepage"] = "website",
        ["websiteurl"] = "website",
        ["town"] = "city",
    };

    /// <summary>Header → field for every header that names one of <paramref name="profileFields"/>; each field is suggested once.</summary>
    public static IReadOnlyDictionary<string, string> Suggest(
        IReadOnlyList<string> headers, IEnumerable<string> identifierColumns, IEnumerable<string> profileFields)
    {
        var fieldsByName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in profileFields)
        {
            fieldsByName.TryAdd(ColumnNames.Compact(field), field);
        }

        foreach (var (synonym, canonical) in Synonyms)
        {
            if (fieldsByName.TryGetValue(ColumnNames.Compact(canonical), out var field))
            {
                fieldsByName.TryAdd(synonym, field);
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
