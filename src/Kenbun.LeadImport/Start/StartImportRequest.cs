using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.Start;

/// <summary>A request to start an import, as the client sent it; <see cref="ILeadImportService.StartAsync"/> validates every part.</summary>
public sealed record StartImportRequest
{
    /// <summary>The <c>file_id</c> from the preview.</summary>
    public string? FileId { get; init; }

    /// <summary>The column and kind of the identifier leads are found by.</summary>
    public PrimaryIdentifierRequest? PrimaryIdentifier { get; init; }

    /// <summary>Column → profile field.</summary>
    public IReadOnlyDictionary<string, string?>? FieldMappings { get; init; }

    /// <summary>Column → alias target (<c>_alias_email</c>, <c>_alias_phone</c>, <c>_alias_cookie</c>, <c>_alias_external_id</c>, <c>_alias_social</c>).</summary>
    public IReadOnlyDictionary<string, string?>? AliasMappings { get; init; }

    /// <summary>When true, the job validates and counts exactly as an import would and writes no lead.</summary>
    public bool DryRun { get; init; }

    /// <summary><c>upsert</c> (default), <c>create_only</c> or <c>update_only</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>
    /// The region (ISO 3166 alpha-2, any case) phone numbers written without a country code belong to; when absent,
    /// <see cref="LeadImportOptions.DefaultPhoneRegion"/>.
    /// </summary>
    public string? DefaultPhoneRegion { get; init; }

    /// <summary>
    /// Who is starting the import — a user's name or id, as the host knows them — kept as the job's
    /// <see cref="ImportJob.CreatedBy"/>. Set by the host from the caller's identity, never from what a client sends (the
    /// HTTP endpoint takes it from a claim, <c>LeadImportHttpOptions.CreatedByClaimType</c>). Trimmed; <see langword="null"/>,
    /// empty or blank records no one. Not validated: it is display text, and personal data the library never logs above Debug.
    /// </summary>
    public string? CreatedBy { get; init; }
}

/// <summary>The <c>primary_identifier</c> of a start request.</summary>
/// <param name="Column">The column holding the identifier.</param>
/// <param name="Kind">The kind: <c>email</c>, <c>phone</c>, <c>cookie</c>, <c>external_id</c> or <c>social</c>.</param>
public sealed record PrimaryIdentifierRequest(string? Column, string? Kind);

/// <summary>A mapping that was ignored because it cannot apply to the file.</summary>
/// <param name="Column">The column as the request named it.</param>
/// <param name="Target">The profile field or alias target it was mapped to.</param>
/// <param name="Reason"><c>unknown_column</c> (not a column of the file) or <c>unknown_field</c> (not a known profile field).</param>
public sealed record IgnoredMapping(string Column, string Target, string Reason)
{
    /// <summary>The reason for a column the file does not have.</summary>
    public const string UnknownColumn = "unknown_column";

    /// <summary>The reason for a profile field that is not configured.</summary>
    public const string UnknownField = "unknown_field";
}

/// <summary>The outcome of starting an import.</summary>
public abstract record StartImportResult
{
    private StartImportResult()
    {
    }

    /// <summary>The job is queued.</summary>
    /// <param name="Job">The new job.</param>
    /// <param name="IgnoredMappings">Mappings that do not apply to the file and were left out.</param>
    public sealed record Started(ImportJob Job, IReadOnlyList<IgnoredMapping> IgnoredMappings) : StartImportResult;

    /// <summary>The request is wrong; every problem is listed, keyed by its path in the request (<c>primary_identifier.kind</c>).</summary>
    /// <param name="Errors">Request path → messages.</param>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : StartImportResult;

    /// <summary>No unexpired file with that id exists in the OU.</summary>
    public sealed record FileNotFound : StartImportResult;

    /// <summary>The file already started a job: one file, one job.</summary>
    /// <param name="Job">That job.</param>
    public sealed record AlreadyStarted(ImportJob Job) : StartImportResult;
}
