using System.Text.Json.Serialization;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>A warning about a row that did not fail it.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record RowWarningResponse(
    [property: JsonPropertyName("row")] long Row,
    [property: JsonPropertyName("warning")] string Warning,
    [property: JsonPropertyName("value")] string Value);
