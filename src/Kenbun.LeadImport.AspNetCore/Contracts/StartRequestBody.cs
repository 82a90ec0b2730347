using System.Text.Json.Serialization;
using Kenbun.LeadImport.Start;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>The body of <c>POST /start</c>.</summary>
public sealed record StartRequestBody(
    [property: JsonPropertyName("file_id")] string? FileId,
    [property: JsonPropertyName("primary_identifier")] PrimaryIdentifierBody? PrimaryIdentifier,
    [property: JsonPropertyName("field_mappings"), ApiValues(ApiValueSet.ProfileField)] Dictionary<string, string?>? FieldMappings = null,
    [property: JsonPropertyName("alias_mappings"), ApiValues(ApiValueSet.AliasTarget)] Dictionary<string, string?>? AliasMappings = null,
    [property: JsonPropertyName("dry_run")] bool? DryRun = null,
    [property: JsonPropertyName("mode"), ApiValues(ApiValueSet.ImportMode)] string? Mode = null,
    [property: JsonPropertyName("default_phone_region")] string? DefaultPhoneRegion = null)
{
    internal StartImportRequest ToRequest() => new()
    {
        FileId = FileId,
        PrimaryIdentifier = PrimaryIdentifier is { } p ? new PrimaryIdentifierRequest(p.Column, p.Kind) : null,
        FieldMappings = FieldMappings,
        AliasMappings = AliasMappings,
        DryRun = DryRun ?? false,
        Mode = Mode,
        DefaultPhoneRegion = DefaultPhoneRegion,
    };
}


/// <summary>The <c>primary_identifier</c> of a start request.</summary>
public sealed record PrimaryIdentifierBody(
    [property: JsonPropertyName("column")] string? Column,
    [property: JsonPropertyName("kind"), ApiValues(ApiValueSet.IdentifierKind)] string? Kind);
