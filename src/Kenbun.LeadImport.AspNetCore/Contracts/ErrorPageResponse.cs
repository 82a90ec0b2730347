using System.Text.Json.Serialization;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>The response of <c>GET /jobs/{jobId}/errors</c>.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record ErrorPageResponse(
    [property: JsonPropertyName("errors")] IReadOnlyList<RowErrorResponse> Errors,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("limit")] int Limit);
