using System.Text.Json.Serialization;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>A failed row.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record RowErrorResponse(
    [property: JsonPropertyName("row")] long Row,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null)
{
    internal static RowErrorResponse From(RowError e) => new(e.Row, e.Error, e.Value, e.Detail);
}
