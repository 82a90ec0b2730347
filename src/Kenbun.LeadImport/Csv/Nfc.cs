using System.Text;

namespace Kenbun.LeadImport.Csv;

/// <summary>Brings cells to Unicode NFC, as CONTRACT §2 reads them, without asking ICU about text that cannot change.</summary>
internal static class Nfc
{
    /// <summary>
    /// <paramref name="text"/> in NFC. Every character below U+0300 (ASCII, Latin-1, Latin Extended, IPA, spacing
    /// modifiers) is stable under NFC and never composes with its neighbours (the combining marks start at U+0300), so a
    /// text made of them only is returned as it is; anything else is checked by ICU, which costs about a microsecond
    /// a cell and was the largest cost of reading a file of European names.
    /// </summary>
    public static string Normalize(string text) =>
        IsStable(text) || text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);

    /// <summary>Whether <paramref name="text"/> is made only of characters below U+0300, so it is in NFC as it is.</summary>
    public static bool IsStable(ReadOnlySpan<char> text) => !text.ContainsAnyInRange('\u0300', char.MaxValue);
}
