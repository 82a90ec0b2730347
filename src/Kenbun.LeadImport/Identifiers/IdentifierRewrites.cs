using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Identifiers;

/// <summary>
/// The data migrations of stored identifiers that ship with the library, one per change of the normalisation rules;
/// <c>AddLeadImport</c> registers them all and the host runs each once (see docs/storage.md). A version is never reused.
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
        RenormalizeSocial);

    /// <summary>Every rewrite the library ships.</summary>
    public static IReadOnlyList<IdentifierRewrite> All { get; } = [SocialProfiles];

    /// <summary>A social identifier's value under today's rules, or <see langword="null"/> when it stays (it is already so, or the rules now reject it).</summary>
    internal static string? RenormalizeSocial(IdentifierKey identifier) =>
        identifier.Kind == IdentifierKind.Social
            && IdentifierNormalizer.TryNormalize(IdentifierKind.Social, identifier.Value, out var normalized)
            && !string.Equals(normalized, identifier.Value, StringComparison.Ordinal)
            ? normalized
            : null;
}
