namespace Kenbun.LeadImport.Preview;

/// <summary>Splits and compacts header names so "First Name", "first_name" and "FirstName" compare alike.</summary>
internal static class ColumnNames
{
    /// <summary>The name in lower case with everything but letters and digits removed: "First-Name" → "firstname".</summary>
    public static string Compact(string name) =>
        string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    /// <summary>The lower-case words of a name, split at non-alphanumerics and camel-case humps: "CustomerID" → customer, id.</summary>
    public static IReadOnlyList<string> Words(string name)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= name.Length; i++)
        {
            var boundary = i == name.Length || !char.IsLetterOrDigit(name[i])
                || (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]));
            if (boundary && start >= 0)
            {
                words.Add(name[start..i].ToLowerInvariant());
                start = -1;
            }

            if (i < name.Length && char.IsLetterOrDigit(name[i]) && start < 0)
            {
                start = i;
            }
        }

        return words;
    }
}
