using System.Text.Json.Serialization;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>The body of <c>POST /erasure</c>: an identifier of the person to forget, in a body so it stays out of URLs and access logs.</summary>
public sealed record ErasureRequestBody(
    [property: JsonPropertyName("kind"), ApiValues(ApiValueSet.IdentifierKind)] string? Kind,
    [property: JsonPropertyName("value")] string? Value);
