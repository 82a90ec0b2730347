using System.Buffers;
using System.Text.Json;
using Kenbun.LeadImport.Start;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Checks the type of every part of a start request body before it is deserialized, so each wrong value is named at
/// once, by its path and in the client's terms (CONTRACT §3, step 1), never with a .NET type name as the serializer's
/// own messages would.
/// </summary>
internal static class StartBodyReader
{
    private const string FieldMappings = "field_mappings";
    private const string AliasMappings = "alias_mappings";

    /// <summary>Parses a body; on failure, every problem keyed by its request path.</summary>
    public static StartRequestBody? Parse(ReadOnlySequence<byte> body, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        using var document = JsonBody.ParseObject(
            body, errors, "The body must be a JSON object with file_id, primary_identifier and, optionally, field_mappings, alias_mappings, mode, dry_run and default_phone_region.");
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        JsonBody.Check(errors, root, "file_id", JsonValueKind.String, "file_id must be a string: the file_id the preview answered with.");
        if (JsonBody.Check(errors, root, "primary_identifier", JsonValueKind.Object, "primary_identifier must be an object with a column and a kind, e.g. {\"column\": \"Email\", \"kind\": \"email\"}.") is { } primary)
        {
            JsonBody.Check(errors, primary, "column", JsonValueKind.String, "primary_identifier.column must be a string: the column's header.", "primary_identifier.column");
            JsonBody.Check(errors, primary, "kind", JsonValueKind.String, "primary_identifier.kind must be a string: email, phone, cookie, external_id or social.", "primary_identifier.kind");
        }

        CheckMappings(errors, root, FieldMappings, "field_mappings must be an object of column → field names, e.g. {\"First Name\": \"first_name\"}.", "a profile field name");
        CheckMappings(errors, root, AliasMappings, "alias_mappings must be an object of column → alias targets, e.g. {\"Mobile\": \"_alias_phone\"}.", "an alias target such as _alias_phone");
        JsonBody.Check(errors, root, "mode", JsonValueKind.String, "mode must be a string: upsert, create_only or update_only.");
        JsonBody.Check(errors, root, "default_phone_region", JsonValueKind.String, "default_phone_region must be a string: a region code such as US.");
        if (root.TryGetProperty("dry_run", out var dryRun) && dryRun.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            errors["dry_run"] = ["dry_run must be true or false."];
        }

        return errors.Count == 0 ? root.Deserialize(LeadImportJsonContext.Default.StartRequestBody) : null;
    }

    private static void CheckMappings(Dictionary<string, string[]> errors, JsonElement root, string name, string message, string valueDescription)
    {
        if (JsonBody.Check(errors, root, name, JsonValueKind.Object, message) is not { } mappings)
        {
            return;
        }

        foreach (var mapping in mappings.EnumerateObject())
        {
            if (mapping.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                errors[RequestPath.Member(name, mapping.Name)] = [$"The mapping of column \"{mapping.Name}\" must be {valueDescription} (a string)."];
            }
        }
    }
}
