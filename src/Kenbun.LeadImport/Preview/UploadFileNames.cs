using System.Globalization;
using System.Text;

namespace Kenbun.LeadImport.Preview;

/// <summary>
/// Turns the name a client gave its upload into display text, safe to show and to echo in messages: no path, no control
/// or formatting characters (a right-to-left override cannot disguise an extension), at most <see cref="MaxLength"/>
/// characters, <see cref="Fallback"/> when nothing is left. Never a path to build on.
/// </summary>
public static class UploadFileNames
{
    /// <summary>The longest display name, in UTF-16 characters.</summary>
    public const int MaxLength = 255;

    /// <summary>The display name of an upload whose name leaves nothing to show.</summary>
    public const string Fallback = "upload.csv";

    /// <summary>The display text of <paramref name="fileName"/>.</summary>
    public static string ToDisplayText(string? fileName)
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
