using System.Text.Json.Serialization;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Preview;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>The response of <c>POST /preview</c>.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
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
    [property: JsonPropertyName("suggested_field_mappings"), ApiValues(ApiValueSet.ProfileField)] IReadOnlyDictionary<string, string> SuggestedFieldMappings)
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
    [property: JsonPropertyName("kind"), ApiValues(ApiValueSet.IdentifierKind)] string Kind);
