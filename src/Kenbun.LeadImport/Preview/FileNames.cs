using System.Globalization;
using System.Text;

namespace Kenbun.LeadImport.Preview;

/// <summary>Turns a client's file name into display text: no path, no control or formatting characters, at most 255 characters.</summary>
internal static class FileNames
{
    public const int MaxLength = 255;
    public const string Fallback = "upload.csv";

    public static string Sanitize(string? fileName)
    {
        var name = fileName ?? string.Empty;
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];

        var clean = new StringBuilder(Math.Min(name.Length, MaxLength));
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            if (clean.Length + rune.Utf16SequenceLength > MaxLength)
            {
                break;
            }

            clean.Append(rune.ToString());
        }

        var result = clean.ToString().Trim();
        return result.Length == 0 || result is "." or ".." ? Fallback : result;
    }
}
