using System.Text.Json.Serialization;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>The response of <c>GET /jobs/{jobId}</c>.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record JobDetailResponse(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("status"), ApiValues(ApiValueSet.JobStatus)] string Status,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("total_rows")] long TotalRows,
    [property: JsonPropertyName("created_count")] long CreatedCount,
    [property: JsonPropertyName("updated_count")] long UpdatedCount,
    [property: JsonPropertyName("failed_count")] long FailedCount,
    [property: JsonPropertyName("skipped_count")] long SkippedCount,
    [property: JsonPropertyName("processed_rows")] long ProcessedRows,
    [property: JsonPropertyName("primary_identifier")] IdentifierColumnResponse PrimaryIdentifier,
    [property: JsonPropertyName("field_mappings"), ApiValues(ApiValueSet.ProfileField)] IReadOnlyDictionary<string, string> FieldMappings,
    [property: JsonPropertyName("alias_mappings"), ApiValues(ApiValueSet.AliasTarget)] IReadOnlyDictionary<string, string> AliasMappings,
    [property: JsonPropertyName("mode"), ApiValues(ApiValueSet.ImportMode)] string Mode,
    [property: JsonPropertyName("dry_run")] bool DryRun,
    [property: JsonPropertyName("default_phone_region")] string? DefaultPhoneRegion,
    [property: JsonPropertyName("errors")] IReadOnlyList<RowErrorResponse> Errors,
    [property: JsonPropertyName("warnings")] IReadOnlyList<RowWarningResponse> Warnings,
    [property: JsonPropertyName("warning_count")] long WarningCount,
    [property: JsonPropertyName("cancel_requested")] bool CancelRequested,
    [property: JsonPropertyName("failure_reason")] string? FailureReason,
    [property: JsonPropertyName("stalled_since")] DateTimeOffset? StalledSince,
    [property: JsonPropertyName("stalled_reason")] string? StalledReason,
    [property: JsonPropertyName("created_by")] string? CreatedBy)
{
    internal static JobDetailResponse From(ImportJob j) => new(
        j.JobId, j.Status.ToApiName(), j.CreatedAt, j.StartedAt, j.CompletedAt, j.FileName, j.TotalRows,
        j.Counters.Created, j.Counters.Updated, j.Counters.Failed, j.Counters.Skipped, j.Counters.Processed,
        new IdentifierColumnResponse(j.Settings.PrimaryColumn, j.Settings.PrimaryKind.ToApiName()),
        j.Settings.FieldMappings,
        j.Settings.AliasMappings.ToDictionary(a => a.Key, a => a.Value.ToAliasTarget()),
        j.Settings.Mode.ToApiName(),
        j.Settings.DryRun,
        j.Settings.DefaultPhoneRegion,
        [.. j.Errors.Select(RowErrorResponse.From)],
        [.. j.Warnings.Select(w => new RowWarningResponse(w.Row, w.Warning, w.Value))],
        j.WarningCount,
        j.CancelRequested,
        j.FailureReason,
        j.Stall?.Since,
        j.Stall?.Reason,
        j.CreatedBy);
}
