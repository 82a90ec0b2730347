using System.Buffers;

namespace Kenbun.LeadImport.Identifiers;

/// <summary>
/// The characters a phone number is written with (CONTRACT §4): digits, a leading <c>+</c>, and the separators
/// <c>space - . ( ) /</c>; an extension mark may follow. One definition for the phone rule, preview detection and the
/// failed-rows formula guard.
/// </summary>
public static class PhoneSyntax
{
    /// <summary>The characters that may separate a phone number's digits: space, <c>-</c>, <c>.</c>, <c>(</c>, <c>)</c>, <c>/</c>.</summary>
    public static SearchValues<char> Separators { get; } = SearchValues.Create(" -.()/");

    /// <summary>Every character of a phone number without its extension: digits, <c>+</c> and the <see cref="Separators"/>.</summary>
    public static SearchValues<char> Characters { get; } = SearchValues.Create("0123456789+ -.()/");
}
