using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Preview;
using Kenbun.LeadImport.Start;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Kenbun.LeadImport.AspNetCore;

#pragma warning disable SA1402, CA1812 // Wire contracts live together; they are created by the serializer or the mappers below.

/// <summary>The response of <c>POST /preview</c>.</summary>
public sealed record PreviewResponse(
    [property: JsonPropertyName("file_id")] string FileId,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("headers")] IReadOnlyList<string> Headers,
    [property: JsonPropertyName("sample_rows")] IReadOnlyList<IReadOnlyList<string>> SampleRows,
    [property: JsonPropertyName("row_count")] long RowCount,
    [property: JsonPropertyName("auto_detected_identifiers")] DetectedIdentifiersResponse AutoDetectedIdentifiers,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("encoding")] string Encoding,
    [property: JsonPropertyName("delimiter")] string Delimiter,
    [property: JsonPropertyName("suggested_primary_identifier")] IdentifierColumnResponse? SuggestedPrimaryIdentifier,
    [property: JsonPropertyName("suggested_field_mappings")] IReadOnlyDictionary<string, string> SuggestedFieldMappings)
{
    internal static PreviewResponse From(ImportPreview p) => new(
        p.FileId,
        p.FileName,
        p.Headers,
        p.SampleRows,
        p.RowCount,
        new DetectedIdentifiersResponse(p.AutoDetectedIdentifiers.EmailColumns, p.AutoDetectedIdentifiers.PhoneColumns, p.AutoDetectedIdentifiers.ExternalIdColumns, p.AutoDetectedIdentifiers.SocialColumns),
        p.ExpiresAt,
        p.Encoding,
        p.Delimiter.ToString(),
        p.SuggestedPrimaryIdentifier is { } s ? new IdentifierColumnResponse(s.Column, s.Kind.ToApiName()) : null,
        p.SuggestedFieldMappings);
}

/// <summary>Columns that look like identifiers.</summary>
public sealed record DetectedIdentifiersResponse(
    [property: JsonPropertyName("email_columns")] IReadOnlyList<string> EmailColumns,
    [property: JsonPropertyName("phone_columns")] IReadOnlyList<string> PhoneColumns,
    [property: JsonPropertyName("external_id_columns")] IReadOnlyList<string> ExternalIdColumns,
    [property: JsonPropertyName("social_columns")] IReadOnlyList<string> SocialColumns);

/// <summary>A column and the kind of identifier it holds.</summary>
public sealed record IdentifierColumnResponse(
    [property: JsonPropertyName("column")] string Column,
    [property: JsonPropertyName("kind")] string Kind);

/// <summary>The body of <c>POST /start</c>.</summary>
public sealed record StartRequestBody(
    [property: JsonPropertyName("file_id")] string? FileId,
    [property: JsonPropertyName("primary_identifier")] PrimaryIdentifierBody? PrimaryIdentifier,
    [property: JsonPropertyName("field_mappings")] Dictionary<string, string?>? FieldMappings = null,
    [property: JsonPropertyName("alias_mappings")] Dictionary<string, string?>? AliasMappings = null,
    [property: JsonPropertyName("dry_run")] bool? DryRun = null,
    [property: JsonPropertyName("mode")] string? Mode = null)
{
    internal StartImportRequest ToRequest() => new()
    {
        FileId = FileId,
        PrimaryIdentifier = PrimaryIdentifier is { } p ? new PrimaryIdentifierRequest(p.Column, p.Kind) : null,
        FieldMappings = FieldMappings,
        AliasMappings = AliasMappings,
        DryRun = DryRun ?? false,
        Mode = Mode,
    };
}

/// <summary>The <c>primary_identifier</c> of a start request.</summary>
public sealed record PrimaryIdentifierBody(
    [property: JsonPropertyName("column")] string? Column,
    [property: JsonPropertyName("kind")] string? Kind);

/// <summary>The response of <c>POST /start</c>.</summary>
public sealed record StartResponse(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("total_rows")] long TotalRows,
    [property: JsonPropertyName("ignored_mappings")] IReadOnlyList<IgnoredMappingResponse> IgnoredMappings);

/// <summary>A mapping left out because it cannot apply to the file.</summary>
public sealed record IgnoredMappingResponse(
    [property: JsonPropertyName("column")] string Column,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>A job in the list.</summary>
public sealed record JobSummaryResponse(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt,
    [property: JsonPropertyName("total_rows")] long TotalRows,
    [property: JsonPropertyName("created_count")] long CreatedCount,
    [property: JsonPropertyName("updated_count")] long UpdatedCount,
    [property: JsonPropertyName("failed_count")] long FailedCount,
    [property: JsonPropertyName("skipped_count")] long SkippedCount,
    [property: JsonPropertyName("processed_rows")] long ProcessedRows)
{
    internal static JobSummaryResponse From(ImportJob j) => new(
        j.JobId, j.Status.ToApiName(), j.FileName, j.CreatedAt, j.StartedAt, j.CompletedAt, j.TotalRows,
        j.Counters.Created, j.Counters.Updated, j.Counters.Failed, j.Counters.Skipped, j.Counters.Processed);
}

/// <summary>The response of <c>GET /jobs</c>.</summary>
public sealed record JobListResponse(
    [property: JsonPropertyName("jobs")] IReadOnlyList<JobSummaryResponse> Jobs,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("limit")] int Limit);

/// <summary>The response of <c>GET /jobs/{jobId}</c>.</summary>
public sealed record JobDetailResponse(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("status")] string Status,
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
    [property: JsonPropertyName("field_mappings")] IReadOnlyDictionary<string, string> FieldMappings,
    [property: JsonPropertyName("alias_mappings")] IReadOnlyDictionary<string, string> AliasMappings,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("dry_run")] bool DryRun,
    [property: JsonPropertyName("errors")] IReadOnlyList<RowErrorResponse> Errors,
    [property: JsonPropertyName("warnings")] IReadOnlyList<RowWarningResponse> Warnings,
    [property: JsonPropertyName("warning_count")] long WarningCount,
    [property: JsonPropertyName("cancel_requested")] bool CancelRequested,
    [property: JsonPropertyName("failure_reason")] string? FailureReason,
    [property: JsonPropertyName("stalled_since")] DateTimeOffset? StalledSince,
    [property: JsonPropertyName("stalled_reason")] string? StalledReason)
{
    internal static JobDetailResponse From(ImportJob j) => new(
        j.JobId, j.Status.ToApiName(), j.CreatedAt, j.StartedAt, j.CompletedAt, j.FileName, j.TotalRows,
        j.Counters.Created, j.Counters.Updated, j.Counters.Failed, j.Counters.Skipped, j.Counters.Processed,
        new IdentifierColumnResponse(j.Settings.PrimaryColumn, j.Settings.PrimaryKind.ToApiName()),
        j.Settings.FieldMappings,
        j.Settings.AliasMappings.ToDictionary(a => a.Key, a => "_alias_" + a.Value.ToApiName()),
        j.Settings.Mode.ToApiName(),
        j.Settings.DryRun,
        [.. j.Errors.Select(RowErrorResponse.From)],
        [.. j.Warnings.Select(w => new RowWarningResponse(w.Row, w.Warning, w.Value))],
        j.WarningCount,
        j.CancelRequested,
        j.FailureReason,
        j.Stall?.Since,
        j.Stall?.Reason);
}

/// <summary>A failed row.</summary>
public sealed record RowErrorResponse(
    [property: JsonPropertyName("row")] long Row,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail)
{
    internal static RowErrorResponse From(RowError e) => new(e.Row, e.Error, e.Value, e.Detail);
}

/// <summary>A warning about a row that did not fail it.</summary>
public sealed record RowWarningResponse(
    [property: JsonPropertyName("row")] long Row,
    [property: JsonPropertyName("warning")] string Warning,
    [property: JsonPropertyName("value")] string Value);

/// <summary>The response of <c>GET /jobs/{jobId}/errors</c>.</summary>
public sealed record ErrorPageResponse(
    [property: JsonPropertyName("errors")] IReadOnlyList<RowErrorResponse> Errors,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("limit")] int Limit);

/// <summary>Writes timestamps in UTC with a <c>Z</c>, as the API shows them (<c>2025-01-15T10:00:00Z</c>).</summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}

/// <summary>
/// The endpoints' own serializer settings: the host's JSON options are never touched. Use <see cref="Web"/>, which
/// writes non-ASCII text as it is (<c>"Müller"</c>, <c>"+1"</c>), not as <c>\u</c> escapes (CONTRACT §7).
/// </summary>
[JsonSourceGenerationOptions(Converters = [typeof(UtcTimestampConverter)], DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PreviewResponse))]
[JsonSerializable(typeof(StartRequestBody))]
[JsonSerializable(typeof(StartResponse))]
[JsonSerializable(typeof(JobListResponse))]
[JsonSerializable(typeof(JobDetailResponse))]
[JsonSerializable(typeof(ErrorPageResponse))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
internal sealed partial class LeadImportJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the endpoints write with. Every answer is JSON for API clients, never HTML, so escaping HTML-sensitive
    /// characters buys nothing; clients must treat strings as text (CONTRACT §7).
    /// </summary>
    /// <remarks>Created on first use: static initializers of the generated half of this class may not have run yet.</remarks>
    public static LeadImportJsonContext Web => field ??= new(new JsonSerializerOptions(Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = null,
    });
}
