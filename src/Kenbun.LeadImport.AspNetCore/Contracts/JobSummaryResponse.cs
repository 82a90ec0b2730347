using System.Text.Json.Serialization;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>A job in the list.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record JobSummaryResponse(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("status"), ApiValues(ApiValueSet.JobStatus)] string Status,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt,
    [property: JsonPropertyName("total_rows")] long TotalRows,
    [property: JsonPropertyName("created_count")] long CreatedCount,
    [property: JsonPropertyName("updated_count")] long UpdatedCount,
    [property: JsonPropertyName("failed_count")] long FailedCount,
    [property: JsonPropertyName("skipped_count")] long SkippedCount,
    [property: JsonPropertyName("processed_rows")] long ProcessedRows,
    [property: JsonPropertyName("created_by")] string? CreatedBy)
{
    internal static JobSummaryResponse From(ImportJob j) => new(
        j.JobId, j.Status.ToApiName(), j.FileName, j.CreatedAt, j.StartedAt, j.CompletedAt, j.TotalRows,
        j.Counters.Created, j.Counters.Updated, j.Counters.Failed, j.Counters.Skipped, j.Counters.Processed, j.CreatedBy);
}
