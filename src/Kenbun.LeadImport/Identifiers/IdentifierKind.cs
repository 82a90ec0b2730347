namespace Kenbun.LeadImport.Identifiers;

/// <summary>The kinds of identifier a lead can be found by.</summary>
public enum IdentifierKind
{
    /// <summary>An email address (<c>email</c>).</summary>
    Email = 0,

    /// <summary>A phone number (<c>phone</c>).</summary>
    Phone = 1,

    /// <summary>A tracking cookie value (<c>cookie</c>).</summary>
    Cookie = 2,

    /// <summary>An identifier from another system, compared case-sensitively (<c>external_id</c>).</summary>
    ExternalId = 3,

    /// <summary>A social profile URL or <c>@handle</c> (<c>social</c>).</summary>
    Social = 4,
}

/// <summary>Converts <see cref="IdentifierKind"/> to and from the names the API uses.</summary>
public static class IdentifierKinds
{
    private const string AliasPrefix = "_alias_";

    /// <summary>Every kind, in the order the API lists them.</summary>
    public static IReadOnlyList<IdentifierKind> All { get; } =
        [IdentifierKind.Email, IdentifierKind.Phone, IdentifierKind.Cookie, IdentifierKind.ExternalId, IdentifierKind.Social];

    /// <summary>The API name of <paramref name="kind"/>: <c>email</c>, <c>phone</c>, <c>cookie</c>, <c>external_id</c> or <c>social</c>.</summary>
    public static string ToApiName(this IdentifierKind kind) => kind switch
    {
        IdentifierKind.Email => "email",
        IdentifierKind.Phone => "phone",
        IdentifierKind.Cookie => "cookie",
        IdentifierKind.ExternalId => "external_id",
        IdentifierKind.Social => "social",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown identifier kind."),
    };

    /// <summary>
    /// The alias mapping target of <paramref name="kind"/>, the API name with the alias prefix: <c>_alias_email</c>,
    /// <c>_alias_phone</c>, <c>_alias_cookie</c>, <c>_alias_external_id</c> or <c>_alias_social</c>.
    /// </summary>
    public static string ToAliasTarget(this IdentifierKind kind) => AliasPrefix + kind.ToApiName();

    /// <summary>Parses an alias mapping target in any case (<c>_alias_phone</c>, <c>_ALIAS_PHONE</c>).</summary>
    public static bool TryParseAliasTarget(string? target, out IdentifierKind kind)
    {
        kind = default;
        return target is not null && target.StartsWith(AliasPrefix, StringComparison.OrdinalIgnoreCase) && TryParse(target[AliasPrefix.Length..], out kind);
    }

    /// <summary>Parses an API name in any case (<c>email</c>, <c>EMAIL</c>).</summary>
    public static bool TryParse(string? apiName, out IdentifierKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToApiName(), apiName, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
