using System.Globalization;
using System.Text;

namespace Kenbun.LeadImport.Preview;

/// <summary>Splits and compacts header names so "First Name", "first_name", "FirstName" and "FÍRST-NAME" compare alike.</summary>
internal static class ColumnNames
{
    /// <summary>
    /// The name in lower case without accents and with everything but letters and digits removed:
    /// "First-Name" → "firstname", "Prénom" → "prenom", "Straße" → "strasse".
    /// </summary>
    public static string Compact(string name) => Fold(name, lettersAndDigitsOnly: true);

    /// <summary>
    /// The lower-case, unaccented words of a name, split at non-alphanumerics and camel-case humps:
    /// "CustomerID" → customer, id; "Téléphone privé" → telephone, prive.
    /// </summary>
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
                words.Add(Fold(name[start..i], lettersAndDigitsOnly: false));
                start = -1;
            }

            if (i < name.Length && char.IsLetterOrDigit(name[i]) && start < 0)
            {
                start = i;
            }
        }

        return words;
    }

    private static string Fold(string text, bool lettersAndDigitsOnly)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || (lettersAndDigitsOnly && !char.IsLetterOrDigit(c)))
            {
                continue;
            }

            _ = char.ToLowerInvariant(c) switch
            {
                'ß' => folded.Append("ss"),
                'æ' => folded.Append("ae"),
                'œ' => folded.Append("oe"),
                'ø' => folded.Append('o'),
                var lower => folded.Append(lower),
            };
        }

        return folded.ToString();
    }
}
