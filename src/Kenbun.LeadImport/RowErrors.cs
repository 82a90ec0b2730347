using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport;

/// <summary>The error texts a failed row is reported with, exactly as the API documents them.</summary>
public static class RowErrors
{
    /// <summary>The row has more non-empty cells than the file has headers.</summary>
    public const string MalformedRow = "Malformed row";

    /// <summary>The primary identifier cell is empty.</summary>
    public const string MissingRequiredIdentifier = "Missing required identifier";

    /// <summary>A mapped cell is longer than the configured maximum.</summary>
    public const string ValueTooLong = "Value too long";

    /// <summary>The row could not be stored.</summary>
    public const string ServerError = "Server error";

    /// <summary>The primary identifier is not valid for its kind: <c>Invalid email format</c>, <c>Invalid phone format</c>, …</summary>
    public static string InvalidFormat(IdentifierKind kind) => kind switch
    {
        IdentifierKind.Email => "Invalid email format",
        IdentifierKind.Phone => "Invalid phone format",
        IdentifierKind.Cookie => "Invalid cookie format",
        IdentifierKind.ExternalId => "Invalid external_id format",
        IdentifierKind.Social => "Invalid social format",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown identifier kind."),
    };
}
