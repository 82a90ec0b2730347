using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// An <see cref="IImportFileStore"/> that keeps each upload as a file in a directory (by default under the
/// system temp folder), with its description in a JSON file beside it. Uploads stream to disk, so memory stays
/// flat. Files survive a restart of the process, but a temp folder is not a durable home, and claims are atomic
/// only within one process: use a database-backed store when several processes share the files.
/// </summary>
/// <remarks>
/// Paths are built only from a hash of the OU and from well-formed file ids; client file names never reach the disk.
/// </remarks>
public sealed class TempDirectoryImportFileStore : IImportFileStore
{
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _metadataLock = new(1, 1);

    /// <summary>Creates a store under <paramref name="directory"/>, or under <c>{temp}/kenbun-leadimport</c> when it is null.</summary>
    public TempDirectoryImportFileStore(TimeProvider timeProvider, string? directory = null)
    {
        _timeProvider = timeProvider;
        RootDirectory = Path.GetFullPath(directory ?? Path.Combine(Path.GetTempPath(), "kenbun-leadimport"));
    }

    /// <summary>The directory the files are kept in.</summary>
    public string RootDirectory { get; }

    /// <inheritdoc />
    public async ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var paths = GetPaths(ou, fileId) ?? throw new ArgumentException($"'{fileId}' is not a file id.", nameof(fileId));
        Directory.CreateDirectory(Path.GetDirectoryName(paths.Content)!);
        try
        {
            await WriteMetadataAsync(paths.Metadata, new StoredFile(expiresAt, null), cancellationToken).ConfigureAwait(false);
            var target = new FileStream(paths.Content, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (target.ConfigureAwait(false))
            {
                await content.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            DeleteFiles(paths);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<Stream?> OpenContentAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        var paths = GetPaths(ou, fileId);
        try
        {
            Stream? stream = paths is null
                ? null
                : new FileStream(paths.Value.Content, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return ValueTask.FromResult(stream);
        }
        catch (FileNotFoundException)
        {
            return ValueTask.FromResult<Stream?>(null);
        }
        catch (DirectoryNotFoundException)
        {
            return ValueTask.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> PublishAsync(ImportFile file, int maxPreviewsPerOu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var paths = GetPaths(file.Ou, file.FileId) ?? throw new ArgumentException($"'{file.FileId}' is not a file id.", nameof(file));
        await _metadataLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if ((await GetPreviewUsageAsync(file.Ou, cancellationToken).ConfigureAwait(false)).Count >= maxPreviewsPerOu)
            {
                return false;
            }

            await WriteMetadataAsync(paths.Metadata, new StoredFile(file.ExpiresAt, file), cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _metadataLock.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<ImportFile?> FindAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        var paths = GetPaths(ou, fileId);
        var stored = paths is null ? null : await ReadMetadataAsync(paths.Value.Metadata, cancellationToken).ConfigureAwait(false);
        return stored?.File is { } file && (file.JobId is not null || file.ExpiresAt > _timeProvider.GetUtcNow()) ? file : null;
    }

    /// <inheritdoc />
    public async ValueTask<PreviewUsage> GetPreviewUsageAsync(string ou, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var directory = GetOuDirectory(ou);
        var count = 0;
        DateTimeOffset? earliest = null;
        if (Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory, "*.json"))
            {
                if (await ReadMetadataAsync(path, cancellationToken).ConfigureAwait(false) is { File: { JobId: null } } stored && stored.ExpiresAt > now)
                {
                    count++;
                    earliest = earliest is null || stored.ExpiresAt < earliest ? stored.ExpiresAt : earliest;
                }
            }
        }

        return new PreviewUsage(count, earliest);
    }

    /// <inheritdoc />
    public async ValueTask<FileClaim> ClaimAsync(string ou, string fileId, string jobId, CancellationToken cancellationToken)
    {
        if (GetPaths(ou, fileId) is not { } paths)
        {
            return new FileClaim(FileClaimStatus.NotFound, null);
        }

        await _metadataLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            switch (await ReadMetadataAsync(paths.Metadata, cancellationToken).ConfigureAwait(false))
            {
                case { File.JobId: { } owner }:
                    return new FileClaim(FileClaimStatus.AlreadyClaimed, owner);
                case { File: { } file } when file.ExpiresAt > _timeProvider.GetUtcNow():
                    var claimed = file with { JobId = jobId };
                    await WriteMetadataAsync(paths.Metadata, new StoredFile(file.ExpiresAt, claimed), cancellationToken).ConfigureAwait(false);
                    return new FileClaim(FileClaimStatus.Claimed, jobId);
                default:
                    return new FileClaim(FileClaimStatus.NotFound, null);
            }
        }
        finally
        {
            _metadataLock.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        if (GetPaths(ou, fileId) is { } paths)
        {
            DeleteFiles(paths);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask<int> DeleteExpiredAsync(IReadOnlySet<string> inUse, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(RootDirectory))
        {
            return 0;
        }

        var deleted = 0;
        await _metadataLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var metadata in Directory.EnumerateFiles(RootDirectory, "*.json", SearchOption.AllDirectories))
            {
                if (await ReadMetadataAsync(metadata, cancellationToken).ConfigureAwait(false) is { } stored
                    && stored.File?.JobId is null && stored.ExpiresAt <= now
                    && !inUse.Contains(Path.GetFileNameWithoutExtension(metadata)))
                {
                    DeleteFiles((Path.ChangeExtension(metadata, ".csv"), metadata));
                    deleted++;
                }
            }
        }
        finally
        {
            _metadataLock.Release();
        }

        return deleted;
    }

    private (string Content, string Metadata)? GetPaths(string ou, string fileId)
    {
        if (!ImportIds.IsWellFormed(fileId, ImportIds.FilePrefix))
        {
            return null;
        }

        var basePath = Path.Combine(GetOuDirectory(ou), fileId);
        return (basePath + ".csv", basePath + ".json");
    }

    private string GetOuDirectory(string ou) =>
        Path.Combine(RootDirectory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ou)))[..32]);

    private static void DeleteFiles((string Content, string Metadata) paths)
    {
        if (Directory.Exists(Path.GetDirectoryName(paths.Content)))
        {
            File.Delete(paths.Content);
            File.Delete(paths.Metadata);
        }
    }

    private static async ValueTask WriteMetadataAsync(string path, StoredFile stored, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(stored, FileStoreJsonContext.Default.StoredFile), cancellationToken)
            .ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private static async ValueTask<StoredFile?> ReadMetadataAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(bytes, FileStoreJsonContext.Default.StoredFile);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    internal sealed record StoredFile(DateTimeOffset ExpiresAt, ImportFile? File);
}

[JsonSerializable(typeof(TempDirectoryImportFileStore.StoredFile))]
internal sealed partial class FileStoreJsonContext : JsonSerializerContext;
