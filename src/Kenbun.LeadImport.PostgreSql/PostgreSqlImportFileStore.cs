using System.Text.Json;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// Keeps uploads in the database, so a preview uploaded through one instance starts through any other: a row per file
/// with its description, and its bytes in <c>bytea</c> chunks of <see cref="ChunkSize"/>, each written in a statement of
/// its own once it has arrived (no connection is held while a slow client sends) and read back a chunk at a time.
/// Chunks are compressed with lz4 where the server offers it (PostgreSQL 14 and later, built with lz4, as the common
/// distributions are), else with the server's default: CSV compresses well, and pglz, the default, took 3.3 s of a
/// server's time for 111 MB where lz4 took 0.5 s.
/// </summary>
internal sealed class PostgreSqlImportFileStore(PostgreSqlDatabase database, TimeProvider timeProvider) : IImportFileStore
{
    /// <summary>Large enough that a 10 MB upload is 40 statements, small enough that a chunk is never a burden in memory.</summary>
    internal const int ChunkSize = 256 * 1024;

    /// <summary>
    /// A chunk's insert, planned without its value: a plan made for the parameters' values (the server's choice for an
    /// unprepared statement) copies the chunk into the plan, which took half of a server's time for an upload.
    /// </summary>
    private const string InsertChunk =
        "SELECT set_config('plan_cache_mode', 'force_generic_plan', true); INSERT INTO :\"schema\".file_chunks (ou, file_id, seq, data) VALUES (@ou, @id, @seq, @data)";

    private readonly string _insertChunk = database.Sql(InsertChunk);

    /// <summary>The chunk's insert with lz4 as the compression of the values it stores (settings last for the statements' implicit transaction).</summary>
    private readonly string _insertLz4Chunk = "SELECT set_config('default_toast_compression', 'lz4', true); " + database.Sql(InsertChunk);

    /// <summary>Whether the server can compress with lz4; asked once, by the first upload.</summary>
    private bool? _offersLz4;

    private readonly string _exists = database.Sql("SELECT 1 FROM :\"schema\".files WHERE ou = @ou AND file_id = @id");

    private readonly string _delete = database.Sql("DELETE FROM :\"schema\".files WHERE ou = @ou AND file_id = @id");

    public async ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        await database.ReadAsync(
            connection => connection.ExecuteAsync(
                database.Sql("INSERT INTO :\"schema\".files (ou, file_id, expires_at) VALUES (@ou, @id, @expires)"), cancellationToken,
                ("@ou", ou), ("@id", fileId), ("@expires", expiresAt)),
            cancellationToken).ConfigureAwait(false);
        try
        {
            var buffer = new byte[ChunkSize];
            for (var seq = 0; ; seq++)
            {
                var length = await content.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (length == 0)
                {
                    return;
                }

                await database.ReadAsync(
                    async connection => await connection.ExecuteAsync(
                        await OffersLz4Async(connection, cancellationToken).ConfigureAwait(false) ? _insertLz4Chunk : _insertChunk, cancellationToken,
                        ("@ou", ou), ("@id", fileId), ("@seq", seq), ("@data", new ReadOnlyMemory<byte>(buffer, 0, length))).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // When the database itself failed this may fail too: the upload's expiry then lets the sweep take it.
            await database.ReadAsync(connection => connection.ExecuteAsync(_delete, CancellationToken.None, ("@ou", ou), ("@id", fileId)), CancellationToken.None)
                .ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<Stream?> OpenContentAsync(string ou, string fileId, CancellationToken cancellationToken) =>
        await database.ReadAsync(connection => ExistsAsync(connection, ou, fileId, cancellationToken), cancellationToken).ConfigureAwait(false)
            ? new ChunkReadStream((seq, token) => ReadChunkAsync(ou, fileId, seq, token))
            : null;

    public async ValueTask<bool> PublishAsync(ImportFile file, int maxPreviewsPerOu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        return await database.WriteAsync(
            async connection =>
            {
                // The OU's unpublished previews are counted under a lock on the OU's files, so two publishes cannot both take the last place.
                await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", cancellationToken, ("@key", "kenbun.lead_import.previews." + file.Ou))
                    .ConfigureAwait(false);
                var published = await connection.ExecuteAsync(
                    database.Sql(
                        """
                        UPDATE :"schema".files SET info = @info::jsonb, expires_at = @expires
                        WHERE ou = @ou AND file_id = @id
                          AND (SELECT COUNT(*) FROM :"schema".files WHERE ou = @ou AND info IS NOT NULL AND job_id IS NULL AND expires_at > @now) < @max
                        """),
                    cancellationToken,
                    ("@info", JsonSerializer.Serialize(StoredFile.From(file), StoredJsonContext.Default.StoredFile)), ("@expires", file.ExpiresAt),
                    ("@ou", file.Ou), ("@id", file.FileId), ("@now", timeProvider.GetUtcNow()), ("@max", maxPreviewsPerOu)).ConfigureAwait(false);
                if (published == 0 && !await ExistsAsync(connection, file.Ou, file.FileId, cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"File {file.FileId} has no content to publish.");
                }

                return published == 1;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ImportFile?> FindAsync(string ou, string fileId, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection =>
            {
                using var command = connection.Command(
                    database.Sql(
                        "SELECT info::text, job_id FROM :\"schema\".files WHERE ou = @ou AND file_id = @id AND info IS NOT NULL AND (job_id IS NOT NULL OR expires_at > @now)"),
                    ("@ou", ou), ("@id", fileId), ("@now", timeProvider.GetUtcNow()));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? JsonSerializer.Deserialize(reader.GetString(0), StoredJsonContext.Default.StoredFile)!.ToFile(reader.IsDBNull(1) ? null : reader.GetString(1))
                    : null;
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<PreviewUsage> GetPreviewUsageAsync(string ou, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection =>
            {
                using var command = connection.Command(
                    database.Sql("SELECT COUNT(*), MIN(expires_at) FROM :\"schema\".files WHERE ou = @ou AND info IS NOT NULL AND job_id IS NULL AND expires_at > @now"),
                    ("@ou", ou), ("@now", timeProvider.GetUtcNow()));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return new PreviewUsage((int)reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
            },
            cancellationToken).ConfigureAwait(false);

    /// <remarks>
    /// One statement. A real import's take-over (<c>UPDATE … WHERE job_id IS NULL</c>, <see cref="PostgreSqlStorage.CreateJobAsync"/>)
    /// locks the row: whichever comes second waits for the first to commit and then judges the row as the first left it
    /// (read committed re-checks the condition), so it finds the file taken or gone. Chunks go by cascade.
    /// </remarks>
    public async ValueTask<bool> DeletePreviewAsync(string ou, string fileId, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            connection => connection.ExecuteAsync(
                database.Sql("DELETE FROM :\"schema\".files WHERE ou = @ou AND file_id = @id AND info IS NOT NULL AND job_id IS NULL AND expires_at > @now"),
                cancellationToken,
                ("@ou", ou), ("@id", fileId), ("@now", timeProvider.GetUtcNow())),
            cancellationToken).ConfigureAwait(false) == 1;

    public async ValueTask DeleteAsync(string ou, string fileId, CancellationToken cancellationToken) =>
        await database.ReadAsync(connection => connection.ExecuteAsync(_delete, cancellationToken, ("@ou", ou), ("@id", fileId)), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Whether <c>default_toast_compression</c> takes lz4 on this server: PostgreSQL 13 has no such setting, and a server
    /// built without lz4 lists only pglz.
    /// </summary>
    private async Task<bool> OffersLz4Async(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        _offersLz4 ??= await connection.ScalarAsync(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'", cancellationToken).ConfigureAwait(false) is true;

    /// <summary>Whether the file has a row: written, published or not, and not deleted.</summary>
    private async Task<bool> ExistsAsync(NpgsqlConnection connection, string ou, string fileId, CancellationToken cancellationToken) =>
        await connection.ScalarAsync(_exists, cancellationToken, ("@ou", ou), ("@id", fileId)).ConfigureAwait(false) is not null;

    /// <summary>The next chunk of a file, or <see langword="null"/> past its end; throws when the file was deleted while it was read.</summary>
    private Task<byte[]?> ReadChunkAsync(string ou, string fileId, int seq, CancellationToken cancellationToken) =>
        database.ReadAsync<byte[]?>(
            async connection =>
            {
                if (await connection.ScalarAsync(
                        database.Sql("SELECT data FROM :\"schema\".file_chunks WHERE ou = @ou AND file_id = @id AND seq = @seq"), cancellationToken,
                        ("@ou", ou), ("@id", fileId), ("@seq", seq)).ConfigureAwait(false) is byte[] data)
                {
                    return data;
                }

                // Without this, a file deleted while it is read would pass for a shorter file, and a job would complete on part of it.
                return await ExistsAsync(connection, ou, fileId, cancellationToken).ConfigureAwait(false)
                    ? null
                    : throw new IOException($"File {fileId} was deleted while it was being read.");
            },
            cancellationToken);
}
