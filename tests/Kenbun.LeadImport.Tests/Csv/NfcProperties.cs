using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kenbun.LeadImport.Csv;

namespace Kenbun.LeadImport.Tests.Csv;

/// <summary><see cref="Nfc"/> gives what .NET's own NFC gives, for any text, including the ones its shortcut skips.</summary>
public class NfcProperties
{
    /// <summary>Characters around the shortcut's edge: Latin, the combining marks from U+0300, Hangul, CJK compatibility, surrogates.</summary>
    private static readonly Gen<string> Texts =
        Gen.Elements("a", "é", "e", "\u0301", "\u0300", "\u02FF", "\u0340", "\u0344", "Å", "A\u030A", "\u212B", "\u1100", "\u1161", "\uAC00", "\uF900", "Ł", "ø", "\uD83D\uDE00", "\u00A0", " ")
            .ArrayOf()
            .Select(parts => string.Concat(parts));

    [Property(MaxTest = 2000)]
    public Property Normalising_agrees_with_the_base_library() =>
        Prop.ForAll(Texts.ToArbitrary(), text => Nfc.Normalize(text) == text.Normalize(NormalizationForm.FormC));

    [Property(MaxTest = 2000)]
    public Property Any_string_agrees_with_the_base_library() =>
        Prop.ForAll<string>(text => text is null || !IsWellFormed(text) || Nfc.Normalize(text) == text.Normalize(NormalizationForm.FormC));

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogate(text[i]) && !(char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[++i])))
            {
                return false;
            }
        }

        return true;
    }
}
