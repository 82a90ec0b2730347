using System.Diagnostics.CodeAnalysis;

namespace Kenbun.LeadImport.Identifiers;

/// <summary>
/// Validates identifier values and turns them into the normalised form that deduplication compares.
/// One place for the rules of every kind, so preview detection, mapping validation and the import agree.
/// </summary>
/// <remarks>
/// Normalising is idempotent: the normalised form of a valid value is itself valid and normalises to itself.
/// </remarks>
public static class IdentifierNormalizer
{
    /// <summary>The longest valid email address, in characters.</summary>
    public const int MaxEmailLength = 254;

    /// <summary>The fewest digits a phone number with no country code, read with no region, may have.</summary>
    public const int MinPhoneDigits = 7;

    /// <summary>The most digits a phone number with no country code, read with no region, may have (E.164's limit).</summary>
    public const int MaxPhoneDigits = 15;

    /// <summary>The longest valid cookie value, in characters.</summary>
    public const int MaxCookieLength = 512;

    /// <summary>The longest valid external id, in characters.</summary>
    public const int MaxExternalIdLength = 256;

    /// <summary>The longest valid social profile URL or handle, in characters.</summary>
    public const int MaxSocialLength = 2048;

    /// <summary>Validates <paramref name="value"/> as a <paramref name="kind"/> and returns its normalised form, reading phone numbers without a country code as no region's.</summary>
    /// <returns><see langword="true"/> when the value is valid; <paramref name="normalized"/> is then the value dedup compares.</returns>
    public static bool TryNormalize(IdentifierKind kind, string? value, [NotNullWhen(true)] out string? normalized) =>
        TryNormalize(kind, value, phoneRegion: null, out normalized);

    /// <summary>Validates <paramref name="value"/> as a <paramref name="kind"/> and returns its normalised form.</summary>
    /// <param name="kind">The kind of identifier.</param>
    /// <param name="value">The value as written.</param>
    /// <param name="phoneRegion">
    /// The region (ISO 3166 alpha-2, see <see cref="PhoneRegions"/>) phone numbers written without a country code belong to,
    /// or <see langword="null"/> for none: such a number is then kept as its digits alone.
    /// </param>
    /// <param name="normalized">The value dedup compares, when valid.</param>
    /// <returns><see langword="true"/> when the value is valid.</returns>
    /// <exception cref="ArgumentException"><paramref name="phoneRegion"/> is not a region <see cref="PhoneRegions.TryParse"/> accepts.</exception>
    public static bool TryNormalize(IdentifierKind kind, string? value, string? phoneRegion, [NotNullWhen(true)] out string? normalized)
    {
        string? region = null;
        if (phoneRegion is not null && !PhoneRegions.TryParse(phoneRegion, out region))
        {
            throw new ArgumentException($"\"{phoneRegion}\" is not a phone region; use an ISO 3166 alpha-2 code such as US.", nameof(phoneRegion));
        }

        return TryNormalizeInRegion(kind, value, region, out normalized);
    }

    /// <summary>
    /// <see cref="TryNormalize(IdentifierKind, string?, string?, out string?)"/> for a caller that parsed the region once
    /// (<see cref="PhoneRegions.TryParse"/>) and normalises many values with it: the engine, per row, and the preview.
    /// </summary>
    /// <param name="kind">The kind of identifier.</param>
    /// <param name="value">The value as written.</param>
    /// <param name="region">An upper-case region <see cref="PhoneRegions.TryParse"/> returned, or <see langword="null"/>.</param>
    /// <param name="normalized">The value dedup compares, when valid.</param>
    internal static bool TryNormalizeInRegion(IdentifierKind kind, string? value, string? region, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        return value is not null && TryNormalizeInRegion(kind, value.AsSpan(), region, out normalized);
    }

    /// <summary>
    /// <see cref="TryNormalizeInRegion(IdentifierKind, string?, string?, out string?)"/> for a value the caller holds as
    /// characters: the engine reads cells without making strings of them, and keeps only the normalised form.
    /// </summary>
    internal static bool TryNormalizeInRegion(IdentifierKind kind, ReadOnlySpan<char> value, string? region, [NotNullWhen(true)] out string? normalized)
    {
        var trimmed = value.Trim();
        normalized = kind switch
        {
            IdentifierKind.Email => NormalizeEmail(trimmed),
            IdentifierKind.Phone => PhoneNormalizer.Normalize(trimmed, region),
            IdentifierKind.Cookie => NormalizeCookie(trimmed),
            IdentifierKind.ExternalId => NormalizeExternalId(trimmed),
            IdentifierKind.Social => NormalizeSocial(trimmed),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown identifier kind."),
        };
        return normalized is not null;
    }

    /// <summary>Whether <paramref name="value"/> is a valid <paramref name="kind"/>, reading phone numbers without a country code as no region's.</summary>
    public static bool IsValid(IdentifierKind kind, string? value) => TryNormalize(kind, value, out _);

    /// <summary>Whether <paramref name="value"/> is a valid <paramref name="kind"/>, phone numbers without a country code read as <paramref name="phoneRegion"/>'s.</summary>
    public static bool IsValid(IdentifierKind kind, string? value, string? phoneRegion) => TryNormalize(kind, value, phoneRegion, out _);

    private static string? NormalizeEmail(ReadOnlySpan<char> email)
    {
        if (email.IsEmpty || email.Length > MaxEmailLength || email.ContainsAny(WhitespaceOrControl.Instance))
        {
            return null;
        }

        var at = email.IndexOf('@');
        if (at <= 0 || email[(at + 1)..].Contains('@'))
        {
            return null;
        }

        var domain = email[(at + 1)..];
        if (!domain.Contains('.') || domain[0] == '.' || domain[^1] == '.' || domain.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        Span<char> lower = stackalloc char[email.Length];
        email.ToLowerInvariant(lower);
        return lower.ToString();
    }

    private static string? NormalizeCookie(ReadOnlySpan<char> cookie)
    {
        if (cookie.IsEmpty || cookie.Length > MaxCookieLength || cookie.ContainsAny(WhitespaceOrControl.Instance))
        {
            return null;
        }

        return cookie.ToString();
    }

    private static string? NormalizeExternalId(ReadOnlySpan<char> id) =>
        id.IsEmpty || id.Length > MaxExternalIdLength ? null : id.ToString();

    private static string? NormalizeSocial(ReadOnlySpan<char> social)
    {
        if (social.IsEmpty || social.Length > MaxSocialLength || social.ContainsAny(WhitespaceOrControl.Instance))
        {
            return null;
        }

        Span<char> lower = stackalloc char[social.Length];
        if (social[0] == '@')
        {
            social.ToLowerInvariant(lower);
            return IsHandle(lower) ? lower.ToString() : null;
        }

        if (!social.Contains('%'))
        {
            // Nothing to decode: the URL without its query and fragment, as DecodeProfileUrl would leave it.
            var end = social.IndexOfAny('?', '#');
            var url = end >= 0 ? social[..end] : social;
            url.ToLowerInvariant(lower);
            return NormalizeProfileUrl(lower[..url.Length]);
        }

        var decoded = DecodeProfileUrl(social.ToString());
        return decoded is null ? null : NormalizeProfileUrl(decoded.ToLowerInvariant());
    }

    private static bool IsHandle(ReadOnlySpan<char> handle)
    {
        if (handle.Length < 2)
        {
            return false;
        }

        foreach (var c in handle[1..])
        {
            if (!char.IsLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The profile URL without its query and fragment, percent-decoded until nothing changes (<c>%2541</c> ends as
    /// <c>A</c>), so normalising twice changes nothing; <see langword="null"/> when it decodes to whitespace or a control character.
    /// </summary>
    private static string? DecodeProfileUrl(string url)
    {
        var decodedAny = false;
        while (true)
        {
            var end = url.AsSpan().IndexOfAny('?', '#');
            if (end >= 0)
            {
                url = url[..end];
            }

            var decoded = url.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(url) : url;
            if (decoded.Length == url.Length)
            {
                return decodedAny && url.AsSpan().ContainsAny(WhitespaceOrControl.Instance) ? null : url;
            }

            (url, decodedAny) = (decoded, true);
        }
    }

    private static string? NormalizeProfileUrl(ReadOnlySpan<char> url)
    {
        var rest = url;
        if (rest.StartsWith("https://", StringComparison.Ordinal))
        {
            rest = rest["https://".Length..];
        }
        else if (rest.StartsWith("http://", StringComparison.Ordinal))
        {
            rest = rest["http://".Length..];
        }

        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return null;
        }

        var host = rest[..slash];
        var path = rest[slash..].TrimEnd('/');
        if (path.IsEmpty || !IsHostName(host))
        {
            return null;
        }

        return string.Concat(CanonicalHost(host), path);
    }

    /// <summary>
    /// The host by the rules of <see cref="SocialProfileHosts"/>: its leading <c>www.</c>, <c>m.</c>, <c>mobile.</c> and
    /// country labels dropped while a host with a dot remains (so <c>www.com</c> stays), then an alias read as its target.
    /// </summary>
    private static ReadOnlySpan<char> CanonicalHost(ReadOnlySpan<char> host)
    {
        while (true)
        {
            var dot = host.IndexOf('.');
            var label = host[..dot];
            var parent = host[(dot + 1)..];
            var dropped = SocialHosts.DroppedLeadingLabels.Contains(label)
                || (label.Length == 2 && char.IsAsciiLetterLower(label[0]) && char.IsAsciiLetterLower(label[1]) && SocialHosts.CountryLabelHosts.Contains(parent));
            if (!dropped || !parent.Contains('.'))
            {
                break;
            }

            host = parent;
        }

        return SocialHosts.Aliases.TryGetValue(host, out var alias) ? alias : host;
    }

    /// <summary>The tables of <see cref="SocialProfileHosts"/>, looked up by span.</summary>
    private static class SocialHosts
    {
        public static readonly System.Collections.Frozen.FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> DroppedLeadingLabels =
            SocialProfileHosts.DroppedLeadingLabels.GetAlternateLookup<ReadOnlySpan<char>>();

        public static readonly System.Collections.Frozen.FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> CountryLabelHosts =
            SocialProfileHosts.CountryLabelHosts.GetAlternateLookup<ReadOnlySpan<char>>();

        public static readonly System.Collections.Frozen.FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Aliases =
            SocialProfileHosts.Aliases.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private static bool IsHostName(ReadOnlySpan<char> host)
    {
        if (!host.Contains('.') || host[0] == '.' || host[^1] == '.' || host.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in host)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Characters no email, cookie or social identifier may contain.</summary>
    private static class WhitespaceOrControl
    {
        public static readonly System.Buffers.SearchValues<char> Instance = System.Buffers.SearchValues.Create(
            Enumerable.Range(0, char.MaxValue + 1)
                .Select(i => (char)i)
                .Where(c => char.IsWhiteSpace(c) || char.IsControl(c))
                .ToArray());
    }
}
