using System.Text.Json.Serialization;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>The response of <c>GET /jobs</c>.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record JobListResponse(
    [property: JsonPropertyName("jobs")] IReadOnlyList<JobSummaryResponse> Jobs,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("limit")] int Limit);
