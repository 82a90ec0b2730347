using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// Writes a batch as the JSON documents that the commit's whole-batch statements read with <c>json_each</c>:
/// one parameter per statement instead of one statement per lead, identifier or error. Documents are UTF-8 bytes, bound
/// as blobs that the statements read as text (<c>CAST($p AS TEXT)</c>, which keeps the bytes): a string would be
/// decoded from the writer's UTF-8 only for the binding to encode it again.
/// </summary>
internal static class SqliteBatchJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The values of <paramref name="identifiers"/> grouped by kind, each group a JSON array of strings.</summary>
    public static List<(IdentifierKind Kind, byte[] Values)> ValuesByKind(IEnumerable<IdentifierKey> identifiers) =>
        [.. identifiers.GroupBy(i => i.Kind).Select(group => (group.Key, Array(writer =>
        {
            foreach (var identifier in group)
            {
                writer.WriteStringValue(identifier.Value);
            }
        })))];

    /// <summary><c>[[lead_id, kind, value], …]</c>: every identifier the batch gives to a lead, in the rows' order.</summary>
    public static byte[] NewIdentifiers(IEnumerable<LeadChange> changes) => Array(writer =>
    {
        foreach (var change in changes)
        {
            foreach (var identifier in change.NewIdentifiers)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(change.LeadId);
                writer.WriteNumberValue((int)identifier.Kind);
                writer.WriteStringValue(identifier.Value);
                writer.WriteEndArray();
            }
        }
    });

    /// <summary><c>[[lead_id, {field: value, …}], …]</c>: the leads the batch creates.</summary>
    public static byte[] NewLeads(IEnumerable<LeadChange> changes) => Array(writer =>
    {
        foreach (var change in changes.Where(c => c.IsNew))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(change.LeadId);
            WriteFields(writer, change.Fields);
            writer.WriteEndArray();
        }
    });

    /// <summary><c>[lead_id, …]</c>: the existing leads the batch updates.</summary>
    public static byte[] UpdatedLeads(IEnumerable<LeadChange> changes) => Array(writer =>
    {
        foreach (var change in changes.Where(c => !c.IsNew))
        {
            writer.WriteStringValue(change.LeadId);
        }
    });

    /// <summary><c>{field: value, …}</c>: the fields one change sets.</summary>
    public static byte[] Fields(IReadOnlyDictionary<string, string> fields) => Write(writer => WriteFields(writer, fields));

    /// <summary><c>[[row, error, value, [cell, …], detail or null], …]</c>.</summary>
    public static byte[] Errors(IEnumerable<RowError> errors) => Array(writer =>
    {
        foreach (var error in errors)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(error.Row);
            writer.WriteStringValue(error.Error);
            writer.WriteStringValue(error.Value);
            writer.WriteStartArray();
            foreach (var cell in error.Cells)
            {
                writer.WriteStringValue(cell);
            }

            writer.WriteEndArray();
            writer.WriteStringValue(error.Detail);
            writer.WriteEndArray();
        }
    });

    /// <summary><c>[[row, warning, value], …]</c>.</summary>
    public static byte[] Warnings(IEnumerable<RowWarning> warnings) => Array(writer =>
    {
        foreach (var warning in warnings)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(warning.Row);
            writer.WriteStringValue(warning.Warning);
            writer.WriteStringValue(warning.Value);
            writer.WriteEndArray();
        }
    });

    private static void WriteFields(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> fields)
    {
        writer.WriteStartObject();
        foreach (var (field, value) in fields)
        {
            writer.WriteString(field, value);
        }

        writer.WriteEndObject();
    }

    private static byte[] Array(Action<Utf8JsonWriter> items) => Write(writer =>
    {
        writer.WriteStartArray();
        items(writer);
        writer.WriteEndArray();
    });

    // One buffer a thread, reused: a commit's documents run to megabytes, and a new buffer for each grew by copying.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private static byte[] Write(Action<Utf8JsonWriter> document)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(64 * 1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            document(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
