using System.Text.Json.Serialization;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Stores;

/// <summary>
/// What the preview learnt about a file, as a store keeps it (the <c>files.info</c> column): a frozen shape apart from the public
/// <see cref="ImportFile"/> (see <see cref="StoredJob"/>). The owning job is a column of its own.
/// </summary>
internal sealed record StoredFile
{
    [JsonPropertyName("V")]
    public int Version { get; init; } = StoredJob.CurrentVersion;

    public required string Ou { get; init; }

    public required string FileId { get; init; }

    public required string FileName { get; init; }

    public required long SizeBytes { get; init; }

    public required DateTimeOffset UploadedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required StoredFormat Format { get; init; }

    public required IReadOnlyList<string> Headers { get; init; }

    public required long RowCount { get; init; }

    public static StoredFile From(ImportFile file) => new()
    {
        Ou = file.Ou,
        FileId = file.FileId,
        FileName = file.FileName,
        SizeBytes = file.SizeBytes,
        UploadedAt = file.UploadedAt,
        ExpiresAt = file.ExpiresAt,
        Format = StoredFormat.From(file.Format),
        Headers = file.Headers,
        RowCount = file.RowCount,
    };

    public ImportFile ToFile(string? jobId) => new()
    {
        Ou = Ou,
        FileId = FileId,
        FileName = FileName,
        SizeBytes = SizeBytes,
        UploadedAt = UploadedAt,
        ExpiresAt = ExpiresAt,
        Format = Format.ToFormat(),
        Headers = Headers,
        RowCount = RowCount,
        JobId = jobId,
    };
}
