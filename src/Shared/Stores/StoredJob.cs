using System.Text.Json.Serialization;
using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.Stores;

/// <summary>
/// A job as a store keeps it (the SQLite and PostgreSQL <c>jobs.job</c> column): its own frozen shape, apart from the public <see cref="ImportJob"/>, so
/// renaming or adding a public property never changes what is stored or makes stored rows unreadable (Hangfire's
/// <c>InvocationData</c> pattern). Enums are stored by their pinned values. A new shape gets a new
/// <see cref="Version"/> and reads the old ones; rows written before versioning are version 1 (the same names). An
/// optional member that older code may ignore is added without a new version. Every save writes the whole shape again,
/// so a member an older release does not know is lost when that release saves the job: what must survive that is a
/// column written once instead (<c>jobs.created_by</c>, <see cref="ImportJob.CreatedBy"/>).
/// </summary>
internal sealed record StoredJob
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("V")]
    public int Version { get; init; } = CurrentVersion;

    public required string JobId { get; init; }

    public required string Ou { get; init; }

    public required string FileId { get; init; }

    public required string FileName { get; init; }

    public required JobStatus Status { get; init; }

    public required StoredSettings Settings { get; init; }

    public required IReadOnlyList<string> Headers { get; init; }

    public StoredFormat? Format { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public required long TotalRows { get; init; }

    public StoredCounters Counters { get; init; } = new();

    public long WarningCount { get; init; }

    public bool CancelRequested { get; init; }

    public string? FailureReason { get; init; }

    public StoredStall? Stall { get; init; }

    public static StoredJob From(ImportJob job) => new()
    {
        JobId = job.JobId,
        Ou = job.Ou,
        FileId = job.FileId,
        FileName = job.FileName,
        Status = job.Status,
        Settings = new StoredSettings
        {
            PrimaryColumn = job.Settings.PrimaryColumn,
            PrimaryKind = job.Settings.PrimaryKind,
            FieldMappings = job.Settings.FieldMappings,
            AliasMappings = job.Settings.AliasMappings,
            DryRun = job.Settings.DryRun,
            Mode = job.Settings.Mode,
            DefaultPhoneRegion = job.Settings.DefaultPhoneRegion,
        },
        Headers = job.Headers,
        Format = job.Format is { } format ? StoredFormat.From(format) : null,
        CreatedAt = job.CreatedAt,
        StartedAt = job.StartedAt,
        CompletedAt = job.CompletedAt,
        TotalRows = job.TotalRows,
        Counters = new StoredCounters { Created = job.Counters.Created, Updated = job.Counters.Updated, Failed = job.Counters.Failed, Skipped = job.Counters.Skipped },
        WarningCount = job.WarningCount,
        CancelRequested = job.CancelRequested,
        FailureReason = job.FailureReason,
        Stall = job.Stall is { } stall ? new StoredStall { Since = stall.Since, Reason = stall.Reason } : null,
    };

    public ImportJob ToJob() => new()
    {
        JobId = JobId,
        Ou = Ou,
        FileId = FileId,
        FileName = FileName,
        Status = Status,
        Settings = new ImportSettings
        {
            PrimaryColumn = Settings.PrimaryColumn,
            PrimaryKind = Settings.PrimaryKind,
            FieldMappings = Settings.FieldMappings,
            AliasMappings = Settings.AliasMappings,
            DryRun = Settings.DryRun,
            Mode = Settings.Mode,
            DefaultPhoneRegion = Settings.DefaultPhoneRegion,
        },
        Headers = Headers,
        Format = Format?.ToFormat(),
        CreatedAt = CreatedAt,
        StartedAt = StartedAt,
        CompletedAt = CompletedAt,
        TotalRows = TotalRows,
        Counters = new JobCounters(Counters.Created, Counters.Updated, Counters.Failed, Counters.Skipped),
        WarningCount = WarningCount,
        CancelRequested = CancelRequested,
        FailureReason = FailureReason,
        Stall = Stall is { } stall ? new JobStall(stall.Since, stall.Reason) : null,
    };
}

/// <summary>A running job's stall on unavailable storage, as stored.</summary>
internal sealed record StoredStall
{
    public required DateTimeOffset Since { get; init; }

    public required string Reason { get; init; }
}

/// <summary>A job's settings as stored.</summary>
internal sealed record StoredSettings
{
    public required string PrimaryColumn { get; init; }

    public required IdentifierKind PrimaryKind { get; init; }

    public required IReadOnlyDictionary<string, string> FieldMappings { get; init; }

    public required IReadOnlyDictionary<string, IdentifierKind> AliasMappings { get; init; }

    public bool DryRun { get; init; }

    public ImportMode Mode { get; init; }

    /// <summary>Absent (none) in jobs stored before phones were read by region: an optional member added to version 1.</summary>
    public string? DefaultPhoneRegion { get; init; }
}

/// <summary>A job's counters as stored.</summary>
internal sealed record StoredCounters
{
    public long Created { get; init; }

    public long Updated { get; init; }

    public long Failed { get; init; }

    public long Skipped { get; init; }
}

/// <summary>How a file is read, as stored with its job and its preview.</summary>
internal sealed record StoredFormat
{
    public required CsvTextEncoding Encoding { get; init; }

    public bool HasByteOrderMark { get; init; }

    public required char Delimiter { get; init; }

    public static StoredFormat From(CsvFileFormat format) => new() { Encoding = format.Encoding, HasByteOrderMark = format.HasByteOrderMark, Delimiter = format.Delimiter };

    public CsvFileFormat ToFormat() => new(Encoding, HasByteOrderMark, Delimiter);
}
