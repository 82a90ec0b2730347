using System.Text.Json.Serialization;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>The response of <c>POST /start</c>.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record StartResponse(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("status"), ApiValues(ApiValueSet.JobStatus)] string Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("total_rows")] long TotalRows,
    [property: JsonPropertyName("ignored_mappings")] IReadOnlyList<IgnoredMappingResponse> IgnoredMappings);


/// <summary>A mapping left out because it cannot apply to the file.</summary>
public sealed record IgnoredMappingResponse(
    [property: JsonPropertyName("column")] string Column,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("reason")] string Reason);
