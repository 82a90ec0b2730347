using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// Opens connections to one SQLite database with the settings every store relies on (WAL, foreign keys, a busy
/// timeout so two processes wait for each other instead of failing), and creates or migrates its schema before first use.
/// </summary>
internal sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly Lock _migrationLock = new();
    private Task? _migration;

    public SqliteDatabase(string connectionString, SqliteStoreOptions options)
    {
        var busyTimeout = (int)options.BusyTimeout.TotalMilliseconds;
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds) };
        if (builder.DataSource is { Length: > 0 } path && builder.Mode != SqliteOpenMode.Memory && !path.StartsWith(':'))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }

        _connectionString = builder.ToString();
        // journal_mode is a property of the database file, set once by the migration; these are per connection.
        _pragmas = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {busyTimeout}; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -{options.CacheSizeKib};");
    }

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
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return await OpenRawAsync(cancellationToken).ConfigureAwait(false);
    }

    internal async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = _pragmas;
        await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
