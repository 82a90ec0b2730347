using System.Buffers;
using System.Text.Json;
using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>Reads the body of <c>POST /erasure</c>, <c>{"kind": "email", "value": "jane@example.com"}</c>: both required strings, the kind one the API names.</summary>
internal static class ErasureBodyReader
{
    /// <summary>The largest body read: a kind and one value, the longest valid identifier being 2,048 characters.</summary>
    public const long MaxBytes = 16 * 1024;

    private const string KindRule = "kind must be one of email, phone, cookie, external_id and social (in any case).";
    private const string ValueRule = "value must be a string: the identifier as it is written, e.g. jane@example.com.";

    /// <summary>The kind and value asked for; on failure, every problem keyed by its name.</summary>
    public static (IdentifierKind Kind, string Value)? Parse(ReadOnlySequence<byte> body, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        using var document = JsonBody.ParseObject(body, errors, "The body must be a JSON object with kind and value, e.g. {\"kind\": \"email\", \"value\": \"jane@example.com\"}.");
        if (document is null)
        {
            return null;
        }

        var kind = IdentifierKind.Email;
        if (JsonBody.Check(errors, document.RootElement, "kind", JsonValueKind.String, KindRule) is not { } kindName || !IdentifierKinds.TryParse(kindName.GetString(), out kind))
        {
            errors["kind"] = [KindRule];
        }

        if (JsonBody.Check(errors, document.RootElement, "value", JsonValueKind.String, ValueRule) is not { } value)
        {
            errors["value"] = [ValueRule];
            return null;
        }

        return errors.Count == 0 ? (kind, value.GetString()!) : null;
    }
}
