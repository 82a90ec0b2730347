using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Testing;

/// <summary>Jobs, identifiers, checkpoints, errors and lead changes as the engine makes them, for the suites.</summary>
public static class StoreTestData
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);

    /// <summary>What the preview learnt about a one-column, one-row file of <paramref name="ou"/>, uploaded at <paramref name="uploadedAt"/> and kept an hour.</summary>
    public static ImportFile NewPreview(string ou, string fileId, DateTimeOffset uploadedAt) => new()
    {
        Ou = ou,
        FileId = fileId,
        FileName = "leads.csv",
        SizeBytes = 14,
        UploadedAt = uploadedAt,
        ExpiresAt = uploadedAt.AddHours(1),
        Format = new CsvFileFormat(CsvTextEncoding.Utf8, HasByteOrderMark: false, ','),
        Headers = ["Email"],
        RowCount = 1,
    };

    /// <summary>A queued job of <paramref name="ou"/> for a new file, as the start endpoint creates it.</summary>
    public static ImportJob NewJob(string ou, DateTimeOffset createdAt, string? fileId = null) => new()
    {
        JobId = ImportIds.NewJobId(),
        Ou = ou,
        FileId = fileId ?? ImportIds.NewFileId(),
        FileName = "leads.csv",
        Status = JobStatus.Queued,
        Settings = new ImportSettings
        {
            PrimaryColumn = "Email",
            PrimaryKind = IdentifierKind.Email,
            FieldMappings = new Dictionary<string, string>(StringComparer.Ordinal) { ["Email"] = "email", ["Name"] = "first_name" },
            AliasMappings = new Dictionary<string, IdentifierKind>(StringComparer.Ordinal) { ["Phone"] = IdentifierKind.Phone },
            Mode = ImportMode.Upsert,
            DefaultPhoneRegion = "GB",
        },
        Headers = ["Email", "Name", "Phone"],
        Format = new CsvFileFormat(CsvTextEncoding.Windows1252, HasByteOrderMark: false, ';'),
        CreatedAt = createdAt,
        CreatedBy = "Zoë Müller",
        TotalRows = 1000,
    };

    /// <summary>Profile fields by name.</summary>
    public static IReadOnlyDictionary<string, string> Fields(params (string Field, string Value)[] fields) =>
        fields.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);

    public static IdentifierKey Email(string value) => new(IdentifierKind.Email, value);

    public static IdentifierKey Phone(string value) => new(IdentifierKind.Phone, value);

    /// <summary>
    /// A checkpoint by <paramref name="leaseHolder"/> that moves a job from <paramref name="previous"/> and
    /// <paramref name="warningsBefore"/> warnings by a batch with these outcomes, keeping all its warnings.
    /// </summary>
    public static JobCheckpoint Checkpoint(
        string leaseHolder,
        JobCounters previous,
        long created = 0,
        long updated = 0,
        IReadOnlyList<RowError>? errors = null,
        IReadOnlyList<RowWarning>? warnings = null,
        long warningsBefore = 0) => new()
    {
        LeaseHolder = leaseHolder,
        PreviousProcessedRows = previous.Processed,
        Counters = previous with
        {
            Created = previous.Created + created,
            Updated = previous.Updated + updated,
            Failed = previous.Failed + (errors?.Count ?? 0),
        },
        Errors = errors ?? [],
        Warnings = warnings ?? [],
        WarningCount = warningsBefore + (warnings?.Count ?? 0),
    };

    /// <summary>A failed row; every third is malformed, with a detail.</summary>
    public static RowError Error(long row) => row % 3 == 0
        ? new(row, RowErrors.MalformedRow, "surplus", [$"bad-{row}", $"Name {row}", "", "surplus"]) { Detail = "4 cells; the header has 3" }
        : new(row, RowErrors.InvalidFormat(IdentifierKind.Email), $"bad-{row}", [$"bad-{row}", $"Name {row}", ""]);

    public static RowWarning Warning(long row) => new(row, "Alias belongs to another lead", $"+1555{row:D7}");

    /// <summary>A change creating a lead that owns <paramref name="identifiers"/>.</summary>
    public static LeadChange NewLead(IReadOnlyDictionary<string, string>? fields, params IdentifierKey[] identifiers) =>
        Change(ImportIds.NewLeadId(), isNew: true, fields, identifiers);

    /// <summary>A change setting fields on an existing lead and giving it identifiers.</summary>
    public static LeadChange Update(string leadId, IReadOnlyDictionary<string, string>? fields, params IdentifierKey[] identifiers) =>
        Change(leadId, isNew: false, fields, identifiers);

    /// <summary>Record equality compares lists and dictionaries by reference; a store that serialises jobs returns new ones.</summary>
    public static void AssertSameJob(ImportJob expected, ImportJob? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.JobId, actual.JobId);
        Assert.Equal(expected.Ou, actual.Ou);
        Assert.Equal(expected.FileId, actual.FileId);
        Assert.Equal(expected.FileName, actual.FileName);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.CreatedBy, actual.CreatedBy);
        Assert.Equal(expected.TotalRows, actual.TotalRows);
        Assert.Equal(expected.Headers, actual.Headers);
        Assert.Equal(expected.Format, actual.Format);
        Assert.Equal(expected.Settings.PrimaryColumn, actual.Settings.PrimaryColumn);
        Assert.Equal(expected.Settings.PrimaryKind, actual.Settings.PrimaryKind);
        Assert.Equal(expected.Settings.FieldMappings.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Settings.FieldMappings.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Settings.AliasMappings.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Settings.AliasMappings.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Settings.Mode, actual.Settings.Mode);
        Assert.Equal(expected.Settings.DryRun, actual.Settings.DryRun);
        Assert.Equal(expected.Settings.DefaultPhoneRegion, actual.Settings.DefaultPhoneRegion);
    }

    private static LeadChange Change(string leadId, bool isNew, IReadOnlyDictionary<string, string>? fields, IdentifierKey[] identifiers)
    {
        var change = new LeadChange(leadId, isNew);
        foreach (var (field, value) in fields ?? new Dictionary<string, string>())
        {
            change.Fields[field] = value;
        }

        change.NewIdentifiers.AddRange(identifiers);
        return change;
    }
}
