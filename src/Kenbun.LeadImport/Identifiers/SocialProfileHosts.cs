using System.Collections.Frozen;

namespace Kenbun.LeadImport.Identifiers;

/// <summary>
/// The table behind the host of a normalised social profile URL (CONTRACT §4): the leading labels a host drops, the
/// hosts whose two-letter country label is dropped, and the hosts read as another. A new alias or subdomain is a row
/// here; <see cref="IdentifierNormalizer"/> holds no host names of its own.
/// </summary>
/// <remarks>
/// A change to this table changes stored values: ship it with an <see cref="Storage.IdentifierRewrite"/> of a new
/// version (see <see cref="IdentifierRewrites"/>). Every alias target must be a host these rules leave as it is, so
/// normalising stays idempotent (a test checks it).
/// </remarks>
internal static class SocialProfileHosts
{
    /// <summary>Labels dropped from the front of any host (<c>www.</c>, <c>m.</c>, <c>mobile.</c>), while a host with a dot remains.</summary>
    public static FrozenSet<string> DroppedLeadingLabels { get; } =
        FrozenSet.Create(StringComparer.Ordinal, "www", "m", "mobile");

    /// <summary>Hosts that serve a profile under a two-letter country label too (<c>uk.linkedin.com</c>, <c>de.linkedin.com</c>): the label is dropped.</summary>
    public static FrozenSet<string> CountryLabelHosts { get; } =
        FrozenSet.Create(StringComparer.Ordinal, "linkedin.com");

    /// <summary>Hosts read as another, after the labels above are dropped: <c>twitter.com</c> is <c>x.com</c>.</summary>
    public static FrozenDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["twitter.com"] = "x.com",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
