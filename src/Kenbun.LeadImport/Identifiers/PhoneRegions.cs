using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace Kenbun.LeadImport.Identifiers;

/// <summary>
/// The regions a phone number without a country code can be read as: ISO 3166 alpha-2 codes (<c>US</c>, <c>GB</c>,
/// <c>DE</c>) for which libphonenumber has numbering rules.
/// </summary>
public static class PhoneRegions
{
    private static readonly FrozenSet<string> Known = PhoneNumberUtil.GetInstance().GetSupportedRegions().ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every known region code, upper-case and sorted.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Known.Order(StringComparer.Ordinal)];

    /// <summary>Reads a region code in any case (<c>us</c>, <c>US</c>).</summary>
    /// <param name="code">The code as written.</param>
    /// <param name="region">The code in upper case, when known.</param>
    /// <returns>Whether <paramref name="code"/> is a known region.</returns>
    public static bool TryParse([NotNullWhen(true)] string? code, [NotNullWhen(true)] out string? region)
    {
        region = null;
        if (code is null || !Known.TryGetValue(code, out var known))
        {
            return false;
        }

        region = known;
        return true;
    }
}
