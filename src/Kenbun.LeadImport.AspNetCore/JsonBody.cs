using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// A JSON request body as the endpoints that read their own bodies take it: read within a size limit, parsed as one
/// object, and each property's type checked before anything is deserialized, so every problem is named by its path in
/// the client's terms, never with a .NET type name.
/// </summary>
internal static class JsonBody
{
    // A name given twice is refused rather than the last one silently winning (a mapping object's column too).
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    /// <summary>The body, or <see langword="null"/> when it is longer than <paramref name="maxBytes"/> (read no further than that).</summary>
    public static async Task<ReadOnlySequence<byte>?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return new ReadOnlySequence<byte>(buffer.WrittenMemory);
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Parses <paramref name="body"/> as a JSON object; <see langword="null"/>, with the problem keyed <c>body</c> in
    /// <paramref name="errors"/>, when it is not JSON or not an object (<paramref name="objectExpected"/> says what it should be).
    /// </summary>
    public static JsonDocument? ParseObject(ReadOnlySequence<byte> body, Dictionary<string, string[]> errors, string objectExpected)
    {
        JsonDocument document;
        try
        {
            // The whole body is one value: text after it is an error, not ignored. A UTF-8 byte order mark is skipped, as
            // RFC 8259 allows and the serializer's stream reading does.
            var reader = new SequenceReader<byte>(body);
            reader.IsNext("\uFEFF"u8, advancePast: true);
            document = JsonDocument.Parse(reader.UnreadSequence, Options);
        }
        catch (JsonException e)
        {
            errors["body"] = [$"The body is not valid JSON, or names a property twice (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}). Send one JSON object."];
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            errors["body"] = [objectExpected];
            return null;
        }

        return document;
    }

    /// <summary>Checks an optional property's type; returns it when present with that type.</summary>
    public static JsonElement? Check(Dictionary<string, string[]> errors, JsonElement parent, string name, JsonValueKind kind, string message, string? path = null)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != kind)
        {
            errors[path ?? name] = [message];
            return null;
        }

        return value;
    }
}
