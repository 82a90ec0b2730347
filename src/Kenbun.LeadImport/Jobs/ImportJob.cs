using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.Jobs;

/// <summary>Where a job is in its life. Status only moves forward: queued → in progress → one of the three final states.</summary>
public enum JobStatus
{
    /// <summary>Waiting for a worker (<c>queued</c>).</summary>
    Queued = 0,

    /// <summary>A worker is applying its rows (<c>in_progress</c>).</summary>
    InProgress = 1,

    /// <summary>Every row was processed (<c>completed</c>).</summary>
    Completed = 2,

    /// <summary>The job could not go on (<c>failed</c>); see <see cref="ImportJob.FailureReason"/>.</summary>
    Failed = 3,

    /// <summary>A user cancelled the job (<c>cancelled</c>); rows applied before stay applied.</summary>
    Cancelled = 4,
}

/// <summary>How rows are applied to leads that do or do not exist yet.</summary>
public enum ImportMode
{
    /// <summary>Create a lead when none matches, update it when one does (<c>upsert</c>, the default).</summary>
    Upsert = 0,

    /// <summary>Only create: a row whose lead exists is skipped (<c>create_only</c>).</summary>
    CreateOnly = 1,

    /// <summary>Only update: a row whose lead does not exist is skipped (<c>update_only</c>).</summary>
    UpdateOnly = 2,
}

/// <summary>API names of <see cref="JobStatus"/> and <see cref="ImportMode"/>.</summary>
public static class JobNames
{
    /// <summary>The API name of a status: <c>queued</c>, <c>in_progress</c>, <c>completed</c>, <c>failed</c>, <c>cancelled</c>.</summary>
    public static string ToApiName(this JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.InProgress => "in_progress",
        JobStatus.Completed => "completed",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown status."),
    };

    /// <summary>Whether the status is final: <see cref="JobStatus.Completed"/>, <see cref="JobStatus.Failed"/> or <see cref="JobStatus.Cancelled"/>.</summary>
    public static bool IsFinal(this JobStatus status) => status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;

    /// <summary>The API name of a mode: <c>upsert</c>, <c>create_only</c>, <c>update_only</c>.</summary>
    public static string ToApiName(this ImportMode mode) => mode switch
    {
        ImportMode.Upsert => "upsert",
        ImportMode.CreateOnly => "create_only",
        ImportMode.UpdateOnly => "update_only",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown mode."),
    };

    /// <summary>Parses a mode's API name in any case (<c>upsert</c>, <c>UPSERT</c>).</summary>
    public static bool TryParseMode(string? apiName, out ImportMode mode)
    {
        foreach (var candidate in Enum.GetValues<ImportMode>())
        {
            if (string.Equals(candidate.ToApiName(), apiName, StringComparison.OrdinalIgnoreCase))
            {
                mode = candidate;
                return true;
            }
        }

        mode = default;
        return false;
    }
}

/// <summary>What a job imports and how: the validated, resolved form of a start request.</summary>
public sealed record ImportSettings
{
    /// <summary>The header of the primary identifier column.</summary>
    public required string PrimaryColumn { get; init; }

    /// <summary>The kind of the primary identifier.</summary>
    public required IdentifierKind PrimaryKind { get; init; }

    /// <summary>Header → profile field (the configured spelling of the field), for the mappings that apply.</summary>
    public required IReadOnlyDictionary<string, string> FieldMappings { get; init; }

    /// <summary>Header → kind of alias identifier, for the alias mappings that apply.</summary>
    public required IReadOnlyDictionary<string, IdentifierKind> AliasMappings { get; init; }

    /// <summary>Whether the job only validates and counts, writing no lead.</summary>
    public bool DryRun { get; init; }

    /// <summary>How rows are applied.</summary>
    public ImportMode Mode { get; init; }

    /// <summary>
    /// The region (upper-case ISO 3166 alpha-2) phone numbers written without a country code are read as, or
    /// <see langword="null"/> when none: such numbers are then kept as their digits alone.
    /// </summary>
    public string? DefaultPhoneRegion { get; init; }
}

/// <summary>How many rows had each outcome.</summary>
/// <param name="Created">Rows that created a lead.</param>
/// <param name="Updated">Rows that updated a lead.</param>
/// <param name="Failed">Rows that failed, each with one error.</param>
/// <param name="Skipped">Rows skipped by the import mode.</param>
public readonly record struct JobCounters(long Created, long Updated, long Failed, long Skipped)
{
    /// <summary>Rows processed: the sum of all four.</summary>
    public long Processed => Created + Updated + Failed + Skipped;
}

/// <summary>A row that failed, with the cells it had so it can be fixed and imported again.</summary>
/// <param name="Row">The data row number (the first row after the header is 1; blank records are not numbered).</param>
/// <param name="Error">The error text, e.g. <c>Invalid email format</c>.</param>
/// <param name="Value">The offending cell, trimmed and cut to 256 characters.</param>
/// <param name="Cells">The row's cells as they were in the file.</param>
public sealed record RowError(long Row, string Error, string Value, IReadOnlyList<string> Cells)
{
    /// <summary>Why, in more words, when the error text alone does not say (a <c>Malformed row</c>: "8 cells; the header has 7").</summary>
    public string? Detail { get; init; }
}

/// <summary>Something about a row that did not fail it, such as an alias that belongs to another lead.</summary>
/// <param name="Row">The data row number.</param>
/// <param name="Warning">What happened.</param>
/// <param name="Value">The value concerned, cut to 256 characters.</param>
public sealed record RowWarning(long Row, string Warning, string Value);

/// <summary>An import job as a client sees it.</summary>
public sealed record ImportJob
{
    /// <summary>The job's id (<c>job_…</c>).</summary>
    public required string JobId { get; init; }

    /// <summary>The OU the job belongs to.</summary>
    public required string Ou { get; init; }

    /// <summary>The file the job imports.</summary>
    public required string FileId { get; init; }

    /// <summary>The file's display name.</summary>
    public required string FileName { get; init; }

    /// <summary>The job's status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>What the job imports and how.</summary>
    public required ImportSettings Settings { get; init; }

    /// <summary>The file's headers, kept for the failed-rows export after the file is gone.</summary>
    public required IReadOnlyList<string> Headers { get; init; }

    /// <summary>
    /// How the file is read, as its preview decided: a dry run reads the file by it, and the failed-rows export writes
    /// the file's delimiter. <see langword="null"/> for jobs stored before it was kept.
    /// </summary>
    public CsvFileFormat? Format { get; init; }

    /// <summary>When the job was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Who started the job, as the host named them (<see cref="Start.StartImportRequest.CreatedBy"/>; over HTTP, the
    /// caller's name claim), or <see langword="null"/> when the host named no one — and for jobs stored before it was
    /// kept. Display text, and personal data: the library never logs it above Debug.
    /// </summary>
    public string? CreatedBy { get; init; }

    /// <summary>When a worker first started it, or <see langword="null"/>.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it reached a final status, or <see langword="null"/>.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The number of data rows in the file.</summary>
    public required long TotalRows { get; init; }

    /// <summary>Rows by outcome so far; <see cref="JobCounters.Processed"/> is also the last row number processed.</summary>
    public JobCounters Counters { get; init; }

    /// <summary>The first errors, in row order (at most <see cref="LeadImportOptions.MaxDetailItems"/>).</summary>
    public IReadOnlyList<RowError> Errors { get; init; } = [];

    /// <summary>The first warnings, in row order (at most <see cref="LeadImportOptions.MaxDetailItems"/>).</summary>
    public IReadOnlyList<RowWarning> Warnings { get; init; } = [];

    /// <summary>How many warnings the job has recorded.</summary>
    public long WarningCount { get; init; }

    /// <summary>Whether a user asked a running job to stop.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>Why a failed job could not go on.</summary>
    public string? FailureReason { get; init; }

    /// <summary>
    /// While a running job waits out unavailable storage, since when and why; <see langword="null"/> otherwise. Recorded
    /// where the store can take the write (an outage may keep it from being recorded at all), cleared when the job goes on.
    /// </summary>
    public JobStall? Stall { get; init; }
}
