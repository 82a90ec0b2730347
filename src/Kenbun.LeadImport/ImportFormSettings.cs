using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport;

/// <summary>
/// What a client needs to build an import form for an OU (<see cref="ILeadImportService.GetSettingsAsync"/>): the choices
/// a start request may make and the limits the OU's requests meet, as this host is configured.
/// </summary>
public sealed record ImportFormSettings
{
    /// <summary>The profile fields columns may be mapped to, in their configured spelling and order (<see cref="LeadImportOptions.ProfileFields"/>).</summary>
    public required IReadOnlyList<string> ProfileFields { get; init; }

    /// <summary>The kinds a primary identifier may have, in the order the API lists them; each is also an alias target (<see cref="Identifiers.IdentifierKinds.ToAliasTarget"/>).</summary>
    public required IReadOnlyList<IdentifierKind> IdentifierKinds { get; init; }

    /// <summary>The import modes, the default (<see cref="ImportMode.Upsert"/>) first.</summary>
    public required IReadOnlyList<ImportMode> Modes { get; init; }

    /// <summary>The largest upload accepted, in bytes (<see cref="LeadImportOptions.MaxFileBytes"/>).</summary>
    public required long MaxFileBytes { get; init; }

    /// <summary>
    /// The region phone numbers without a country code are read in when a start request names none, upper case
    /// (<see cref="LeadImportOptions.DefaultPhoneRegion"/>), or <see langword="null"/> for none.
    /// </summary>
    public string? DefaultPhoneRegion { get; init; }

    /// <summary>Every region a start request may name as its <c>default_phone_region</c>, upper case and sorted (<see cref="Identifiers.PhoneRegions.All"/>).</summary>
    public required IReadOnlyList<string> PhoneRegions { get; init; }

    /// <summary>The most items a list page may hold (<see cref="LeadImportOptions.MaxPageSize"/>).</summary>
    public required int MaxPageSize { get; init; }

    /// <summary>How long a preview can start an import after its upload (<see cref="LeadImportOptions.PreviewLifetime"/>).</summary>
    public required TimeSpan PreviewLifetime { get; init; }

    /// <summary>The most unexpired previews the OU may hold (<see cref="LeadImportOptions.MaxPreviewsPerOu"/>).</summary>
    public required int MaxPreviewsPerOu { get; init; }

    /// <summary>The most queued jobs the OU may have (<see cref="LeadImportOptions.MaxQueuedJobsPerOu"/>).</summary>
    public required int MaxQueuedJobsPerOu { get; init; }
}
