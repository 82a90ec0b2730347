using System.Text.Json.Serialization;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// The answer of <c>GET /settings</c>: what a client needs to build an import form for the caller's OU — the choices a
/// start request may make and the limits its requests meet.
/// </summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record SettingsResponse(
    [property: JsonPropertyName("profile_fields"), ApiValues(ApiValueSet.ProfileField)] IReadOnlyList<string> ProfileFields,
    [property: JsonPropertyName("identifier_kinds"), ApiValues(ApiValueSet.IdentifierKind)] IReadOnlyList<string> IdentifierKinds,
    [property: JsonPropertyName("alias_targets"), ApiValues(ApiValueSet.AliasTarget)] IReadOnlyList<string> AliasTargets,
    [property: JsonPropertyName("modes"), ApiValues(ApiValueSet.ImportMode)] IReadOnlyList<string> Modes,
    [property: JsonPropertyName("max_file_bytes")] long MaxFileBytes,
    [property: JsonPropertyName("default_phone_region")] string? DefaultPhoneRegion,
    [property: JsonPropertyName("phone_regions")] IReadOnlyList<string> PhoneRegions,
    [property: JsonPropertyName("max_page_size")] int MaxPageSize,
    [property: JsonPropertyName("preview_lifetime_seconds")] long PreviewLifetimeSeconds,
    [property: JsonPropertyName("max_previews_per_ou")] int MaxPreviewsPerOu,
    [property: JsonPropertyName("max_queued_jobs_per_ou")] int MaxQueuedJobsPerOu)
{
    internal static SettingsResponse From(ImportFormSettings s) => new(
        s.ProfileFields,
        [.. s.IdentifierKinds.Select(k => k.ToApiName())],
        [.. s.IdentifierKinds.Select(k => k.ToAliasTarget())],
        [.. s.Modes.Select(m => m.ToApiName())],
        s.MaxFileBytes,
        s.DefaultPhoneRegion,
        s.PhoneRegions,
        s.MaxPageSize,
        (long)s.PreviewLifetime.TotalSeconds,
        s.MaxPreviewsPerOu,
        s.MaxQueuedJobsPerOu);
}
