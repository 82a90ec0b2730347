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
