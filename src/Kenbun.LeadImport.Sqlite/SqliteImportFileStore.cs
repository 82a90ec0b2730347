using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// Keeps uploads: a row per file with its description in the database, and its bytes in a file of their own beside the
/// database (<see cref="SqliteDatabase.UploadsFolder"/>), written as they arrive, so a burst of uploads never grows the
/// write-ahead log. A database in memory keeps the bytes in 64 KB chunks (each chunk its own short transaction). The row
/// decides whether a file exists; bytes whose row is gone (a finished or deleted job's file, a crash between the two)
/// are removed by the sweep (<see cref="SweepOrphanedUploadsAsync"/>). It shares its database with
/// <see cref="SqliteJobStore"/>, whose finished jobs' files the sweep removes.
/// </summary>
internal sealed class SqliteImportFileStore(SqliteDatabase database, TimeProvider timeProvider) : IImportFileStore
{
    private const int ChunkSize = 64 * 1024;

    private static readonly System.Buffers.SearchValues<char> FileIdCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    public async ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        await ExecuteAsync(
            "INSERT INTO files (ou, file_id, expires_at) VALUES ($ou, $id, $expires)", cancellationToken,
            ("$ou", ou), ("$id", fileId), ("$expires", expiresAt.ToStored())).ConfigureAwait(false);
        try
        {
            if (UploadPath(ou, fileId) is { } path)
            {
                await WriteUploadFileAsync(path, content, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteChunksAsync(ou, fileId, content, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // When the disk itself failed this may fail too: the upload's expiry then lets the sweep take it.
            await ExecuteAsync("DELETE FROM files WHERE ou = $ou AND file_id = $id", CancellationToken.None, ("$ou", ou), ("$id", fileId)).ConfigureAwait(false);
            DeleteUploadFile(ou, fileId);
            throw;
        }
    }

    private static async Task WriteUploadFileAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous });
        await using (file.ConfigureAwait(false))
        {
            await content.CopyToAsync(file, ChunkSize, cancellationToken).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteChunksAsync(string ou, string fileId, Stream content, CancellationToken cancellationToken)
    {
        // A connection per chunk, taken only once the chunk has arrived: a slow client holds none while it sends.
        var buffer = new byte[ChunkSize];
        for (var seq = 0; ; seq++)
        {
            var length = await content.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (length == 0)
            {
                return;
            }

            await ExecuteAsync(
                "INSERT INTO file_chunks (ou, file_id, seq, data) VALUES ($ou, $id, $seq, $data)", cancellationToken,
                ("$ou", ou), ("$id", fileId), ("$seq", seq), ("$data", buffer.AsSpan(0, length).ToArray())).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes the bytes of files that have no row any more: the row is written before the bytes and deleted before them,
    /// so bytes without a row belong to no file (a finished or deleted job's, an expired upload's, a crash's). File ids
    /// are random, so a row of that id in any OU keeps them.
    /// </summary>
    internal async Task<int> SweepOrphanedUploadsAsync(CancellationToken cancellationToken)
    {
        if (database.UploadsFolder is not { } folder || !Directory.Exists(folder))
        {
            return 0;
        }

        var deleted = 0;
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                if (await connection.ScalarAsync("SELECT 1 FROM files WHERE file_id = $id", cancellationToken, ("$id", Path.GetFileName(path))).ConfigureAwait(false) is null)
                {
                    File.Delete(path);
                    deleted++;
                }
            }
        }

        return deleted;
    }

    /// <summary>
    /// Where a file's bytes are kept: a folder per OU, named by a hash of it (an OU is any text; a hash is always a safe
    /// name), then the file id. <see langword="null"/> when they are kept in the database, or the id could name no path.
    /// </summary>
    private string? UploadPath(string ou, string fileId) =>
        database.UploadsFolder is { } folder && fileId.Length > 0 && !fileId.AsSpan().ContainsAnyExcept(FileIdCharacters)
            ? Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ou)))[..32], fileId)
            : null;

    private void DeleteUploadFile(string ou, string fileId)
    {
        if (UploadPath(ou, fileId) is { } path && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await connection.ExecuteAsync(sql, cancellationToken, parameters).ConfigureAwait(false);
        }
    }

    public async ValueTask<Stream?> OpenContentAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!await ExistsAsync(connection, ou, fileId, cancellationToken).ConfigureAwait(false))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        // A file deleted while it is read reads whole: the bytes stay readable while open (FileShare.Delete).
        if (UploadPath(ou, fileId) is { } path && File.Exists(path))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read | FileShare.Delete, Options = FileOptions.Asynchronous | FileOptions.SequentialScan });
        }

        // Kept in the database: in memory, or uploaded before uploads were kept beside it. One connection for the reader's lifetime.
        return new ChunkReadStream((seq, token) => ReadChunkAsync(connection, ou, fileId, seq, token), connection);
    }

    public async ValueTask<bool> PublishAsync(ImportFile file, int maxPreviewsPerOu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One statement, so the count and the publish are one atomic step, across processes too.
            var published = await connection.ExecuteAsync(
                """
                UPDATE files SET info = $info, expires_at = $expires
                WHERE ou = $ou AND file_id = $id
                  AND (SELECT COUNT(*) FROM files WHERE ou = $ou AND info IS NOT NULL AND job_id IS NULL AND expires_at > $now) < $max
                """,
                cancellationToken,
                ("$info", JsonSerializer.Serialize(StoredFile.From(file), StoredJsonContext.Default.StoredFile)), ("$expires", file.ExpiresAt.ToStored()),
                ("$ou", file.Ou), ("$id", file.FileId), ("$now", timeProvider.GetUtcNow().ToStored()), ("$max", maxPreviewsPerOu)).ConfigureAwait(false);
            if (published == 0 && !await ExistsAsync(connection, file.Ou, file.FileId, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"File {file.FileId} has no content to publish.");
            }

            return published == 1;
        }
    }

    public async ValueTask<ImportFile?> FindAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.Command(
                "SELECT info, job_id FROM files WHERE ou = $ou AND file_id = $id AND info IS NOT NULL AND (job_id IS NOT NULL OR expires_at > $now)",
                ("$ou", ou), ("$id", fileId), ("$now", timeProvider.GetUtcNow().ToStored()));
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return JsonSerializer.Deserialize(reader.GetString(0), StoredJsonContext.Default.StoredFile)!.ToFile(reader.IsDBNull(1) ? null : reader.GetString(1));
        }
    }

    public async ValueTask<PreviewUsage> GetPreviewUsageAsync(string ou, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.Command(
                "SELECT COUNT(*), MIN(expires_at) FROM files WHERE ou = $ou AND info IS NOT NULL AND job_id IS NULL AND expires_at > $now",
                ("$ou", ou), ("$now", timeProvider.GetUtcNow().ToStored()));
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new PreviewUsage(reader.GetInt32(0), reader.IsDBNull(1) ? null : SqliteCommands.FromStored(reader.GetInt64(1)));
        }
    }

    public async ValueTask<bool> DeletePreviewAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One statement: SQLite writes one at a time, so this and a job's take-over (UPDATE … WHERE job_id IS NULL,
            // SqliteStorage.CreateJobAsync) see each other's outcome, across processes too. Chunks go by cascade.
            var deleted = await connection.ExecuteAsync(
                "DELETE FROM files WHERE ou = $ou AND file_id = $id AND info IS NOT NULL AND job_id IS NULL AND expires_at > $now",
                cancellationToken,
                ("$ou", ou), ("$id", fileId), ("$now", timeProvider.GetUtcNow().ToStored())).ConfigureAwait(false);
            if (deleted == 0)
            {
                return false;
            }
        }

        try
        {
            DeleteUploadFile(ou, fileId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The row decides: the preview is gone, and the sweep removes bytes that have no row.
        }

        return true;
    }

    public async ValueTask DeleteAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await connection.ExecuteAsync("DELETE FROM files WHERE ou = $ou AND file_id = $id", cancellationToken, ("$ou", ou), ("$id", fileId)).ConfigureAwait(false);
        }

        DeleteUploadFile(ou, fileId);
    }

    /// <summary>The next chunk of a file, or <see langword="null"/> past its end; throws when the file was deleted while it was read.</summary>
    private static async Task<byte[]?> ReadChunkAsync(SqliteConnection connection, string ou, string fileId, int seq, CancellationToken cancellationToken)
    {
        if (await connection.ScalarAsync(
                "SELECT data FROM file_chunks WHERE ou = $ou AND file_id = $id AND seq = $seq", cancellationToken, ("$ou", ou), ("$id", fileId), ("$seq", seq))
            .ConfigureAwait(false) is byte[] data)
        {
            return data;
        }

        // Without this, a file deleted while it is read would pass for a shorter file, and a job would complete on part of it.
        return await ExistsAsync(connection, ou, fileId, cancellationToken).ConfigureAwait(false)
            ? null
            : throw new IOException($"File {fileId} was deleted while it was being read.");
    }

    /// <summary>Whether the file has a row: written, published or not, and not deleted.</summary>
    private static async Task<bool> ExistsAsync(SqliteConnection connection, string ou, string fileId, CancellationToken cancellationToken) =>
        await connection.ScalarAsync("SELECT 1 FROM files WHERE ou = $ou AND file_id = $id", cancellationToken, ("$ou", ou), ("$id", fileId)).ConfigureAwait(false) is not null;
}
