using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// Opens connections to one SQLite database with the settings every store relies on (WAL, foreign keys, a busy
/// timeout so two processes wait for each other instead of failing, deleted content overwritten), and creates or
/// migrates its schema before first use.
/// </summary>
internal sealed class SqliteDatabase : IDisposable, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    /// <summary>The pragmas of a connection that keeps the configured page cache (the later <c>cache_size</c> wins).</summary>
    private readonly string _commitCachePragmas;
    private readonly SqliteCheckpointer? _checkpointer;
    private readonly Lock _migrationLock = new();
    private Task? _migration;

    /// <param name="connectionString">The connection string as the host gave it.</param>
    /// <param name="options">The store's options.</param>
    /// <param name="baseDirectory">The folder a relative database path is taken from: the host's content root (default: the current directory).</param>
    public SqliteDatabase(string connectionString, SqliteStoreOptions options, string? baseDirectory = null)
    {
        var busyTimeout = (int)options.BusyTimeout.TotalMilliseconds;
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds) };
        if (IsFile(builder))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, baseDirectory ?? Directory.GetCurrentDirectory());
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        DataSource = builder.DataSource;
        UploadsFolder = IsFile(builder) ? builder.DataSource + "-uploads" : null;
        _connectionString = builder.ToString();
        _checkpointer = IsFile(builder) ? new SqliteCheckpointer(_connectionString) : null;
        // journal_mode is a property of the database file, set once by the migration; these are per connection.
        // journal_size_limit: when a checkpoint lets the WAL start over, the file is cut back to this size rather than
        // kept at the largest it ever grew to (169 MB under 61 concurrent previews before it was set).
        // secure_delete overwrites what is deleted (an expired upload, a finished job's file, a forgotten person) instead
        // of leaving it readable in the file's free space; it costs writes only where rows or pages are freed.
        _pragmas = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {busyTimeout}; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -{DefaultCacheSizeKib}; PRAGMA journal_size_limit = {MaxWalBytes}; PRAGMA secure_delete = ON;");
        if (_checkpointer is not null)
        {
            // Commits leave checkpoints to the checkpointer, unless the log has reached the size it is cut back to (the
            // checkpointer fell behind): 4,096 pages of the 16 KiB the schema creates databases with.
            _pragmas += string.Create(System.Globalization.CultureInfo.InvariantCulture, $" PRAGMA wal_autocheckpoint = {MaxWalBytes / SqliteSchema.PageSize};");
        }

        _commitCachePragmas = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_pragmas} PRAGMA cache_size = -{options.CacheSizeKib};");
    }

    /// <summary>SQLite's own default page cache, in KiB: set on every connection taken, as a pooled one may come back with another.</summary>
    private const int DefaultCacheSizeKib = 2000;

    /// <summary>The size the write-ahead log is cut back to once a checkpoint lets it start over.</summary>
    public const long MaxWalBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Where the bytes of uploads are kept, beside a database file (<c>leads.db-uploads</c>), so that a burst of uploads
    /// never passes through the write-ahead log; <see langword="null"/> for a database in memory, which keeps them in
    /// its <c>file_chunks</c> table.
    /// </summary>
    public string? UploadsFolder { get; }

    /// <summary>The database: a file's full path, or the connection string's data source when it is not a file.</summary>
    public string DataSource { get; }

    /// <summary>
    /// Brings the schema up to date, once: callers share one migration. One that failed (a full disk, a database
    /// locked past the busy timeout) is tried again by the next caller rather than remembered as the outcome.
    /// </summary>
    public Task EnsureSchemaAsync()
    {
        lock (_migrationLock)
        {
            if (_migration is null || _migration.IsFaulted || _migration.IsCanceled)
            {
                _migration = SqliteSchema.MigrateAsync(this, CancellationToken.None);
            }

            return _migration;
        }
    }

    /// <summary>Opens a connection, after the schema has been brought up to date.</summary>
    /// <param name="cancellationToken">Stops the wait for the schema or the opening.</param>
    /// <param name="withCommitCache">
    /// Whether the connection writes all over the identifier index (commits batches, rewrites or erases identifiers), and
    /// so keeps <see cref="SqliteStoreOptions.CacheSizeKib"/> of page cache rather than SQLite's default.
    /// </param>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken, bool withCommitCache = false)
    {
        await EnsureSchemaAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return await OpenRawAsync(cancellationToken, withCommitCache).ConfigureAwait(false);
    }

    internal async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken, bool withCommitCache = false)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(withCommitCache ? _commitCachePragmas : _pragmas, cancellationToken).ConfigureAwait(false);
            if (_checkpointer is not null)
            {
                SQLitePCL.raw.sqlite3_commit_hook(connection.Handle, static checkpointer => RequestCheckpoint((SqliteCheckpointer)checkpointer), _checkpointer);
            }

            return connection;
        }
        catch
        {
            // Cancelled or failed between opening and the pragmas: the connection goes back to the pool, not astray.
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the checkpoints made in the background.</summary>
    public void Dispose() => _checkpointer?.Dispose();

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync() => _checkpointer?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>A commit hook: asks for a checkpoint and lets the commit go on (0).</summary>
    private static int RequestCheckpoint(SqliteCheckpointer checkpointer)
    {
        checkpointer.Request();
        return 0;
    }

    /// <summary>Whether the data source names a file on disk (not <c>:memory:</c>, an in-memory mode or a <c>file:</c> URI).</summary>
    private static bool IsFile(SqliteConnectionStringBuilder builder) =>
        builder.DataSource is { Length: > 0 } path
        && builder.Mode != SqliteOpenMode.Memory
        && !path.StartsWith(':')
        && !path.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
}
