using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Identifiers;

/// <summary>
/// The data migrations of stored identifiers that ship with the library, one per change of the normalisation rules;
/// the host runs each once, before its own (see docs/storage.md). A version is never reused.
/// </summary>
internal static class IdentifierRewrites
{
    /// <summary>
    /// Version 1: social profiles stored under the earlier rules, normalised again (percent-decoded, <c>m.</c>,
    /// <c>mobile.</c> and LinkedIn country labels dropped, <c>twitter.com</c> read as <c>x.com</c>).
    /// </summary>
    public static IdentifierRewrite SocialProfiles { get; } = new(
        1,
        "social profiles: percent-decoded, m., mobile. and LinkedIn country subdomains dropped, twitter.com read as x.com",
        identifier => Renormalize(identifier, IdentifierKind.Social, phoneRegion: null));

    /// <summary>
    /// Version 2: phones stored with a country code (<c>+…</c>), normalised by libphonenumber's rules to E.164
    /// (<c>+44 (0)20 7946 0000</c> was stored <c>+4402079460000</c>, now <c>+442079460000</c>).
    /// </summary>
    public static IdentifierRewrite PhonesWithCountryCode { get; } = new(
        2,
        "phones with a country code: E.164 by libphonenumber's rules",
        identifier => Renormalize(identifier, IdentifierKind.Phone, phoneRegion: null));

    /// <summary>
    /// Version 3, only once a default phone region is set: phones stored as digits alone (no country code, no region
    /// then) read as numbers of <paramref name="region"/> and stored in E.164, so they match what imports now store.
    /// </summary>
    public static IdentifierRewrite PhonesInRegion(string region) => new(
        3,
        $"phones stored without a country code: read as {region} numbers, E.164",
        identifier => Renormalize(identifier, IdentifierKind.Phone, region));

    /// <summary>The rewrites that ship, for a host whose default phone region is <paramref name="defaultPhoneRegion"/>.</summary>
    public static IReadOnlyList<IdentifierRewrite> For(string? defaultPhoneRegion) =>
        defaultPhoneRegion is null ? [SocialProfiles, PhonesWithCountryCode] : [SocialProfiles, PhonesWithCountryCode, PhonesInRegion(defaultPhoneRegion)];

    /// <summary>
    /// A <paramref name="kind"/> identifier's value under today's rules, or <see langword="null"/> when it stays (another
    /// kind, it is already so, or the rules now reject it).
    /// </summary>
    private static string? Renormalize(IdentifierKey identifier, IdentifierKind kind, string? phoneRegion) =>
        identifier.Kind == kind
            && IdentifierNormalizer.TryNormalize(kind, identifier.Value, phoneRegion, out var normalized)
            && !string.Equals(normalized, identifier.Value, StringComparison.Ordinal)
            ? normalized
            : null;
}
