using Kenbun.LeadImport.Csv;

namespace Kenbun.LeadImport.Storage;

/// <summary>An uploaded file as the preview left it: what it is, how to read it, and who owns it.</summary>
public sealed record ImportFile
{
    /// <summary>The OU the file belongs to.</summary>
    public required string Ou { get; init; }

    /// <summary>The file's id (<c>preview_…</c>).</summary>
    public required string FileId { get; init; }

    /// <summary>The sanitised name the client gave the file; display text only.</summary>
    public required string FileName { get; init; }

    /// <summary>The size of the stored content in bytes.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>When the file was uploaded.</summary>
    public required DateTimeOffset UploadedAt { get; init; }

    /// <summary>When the preview expires, unless a job has taken the file by then.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>How the content is read.</summary>
    public required CsvFileFormat Format { get; init; }

    /// <summary>The header cells, trimmed.</summary>
    public required IReadOnlyList<string> Headers { get; init; }

    /// <summary>The number of data records (blank records excluded).</summary>
    public required long RowCount { get; init; }

    /// <summary>The job that owns the file, or <see langword="null"/> while it is only a preview.</summary>
    public string? JobId { get; init; }
}

/// <summary>How many unexpired previews an OU holds, and when the first of them expires.</summary>
/// <param name="Count">The number of unexpired previews not owned by a job.</param>
/// <param name="EarliestExpiry">When the oldest of them expires, or <see langword="null"/> when there are none.</param>
public readonly record struct PreviewUsage(int Count, DateTimeOffset? EarliestExpiry);
