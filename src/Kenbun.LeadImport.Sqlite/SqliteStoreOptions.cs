namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// How the SQLite store uses its database: bound from the <c>LeadImport:Sqlite</c> configuration section, then changed by
/// <c>UseSqlite(connectionString, options => …)</c>, and checked when the host starts (what the code sets, at once).
/// </summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "LeadImport:Sqlite";

    /// <summary>
    /// How long a statement waits for another connection or process that holds the write lock before failing
    /// (the failure counts as unavailable storage: a running job waits for the database, failing nothing). Default 30 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The page cache, in KiB (<c>PRAGMA cache_size</c>), of the connections that write all over the identifier index:
    /// the one that commits imports' batches, and those that rewrite or erase identifiers. A cache that holds those pages
    /// saves re-reading them on every commit. Default 16,384 (16 MiB). Every other connection is set to SQLite's default
    /// (2,000 KiB): a commit on another connection empties a connection's cache, so a large one would only hold memory.
    /// </summary>
    public int CacheSizeKib { get; set; } = 16 * 1024;

    /// <summary>What is wrong with these options, or <see langword="null"/>.</summary>
    internal ArgumentOutOfRangeException? Problem =>
        BusyTimeout <= TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue
            ? new ArgumentOutOfRangeException(nameof(BusyTimeout), BusyTimeout, $"{nameof(SqliteStoreOptions)}.{nameof(BusyTimeout)} must be positive and under 24 days.")
            : CacheSizeKib <= 0
                ? new ArgumentOutOfRangeException(nameof(CacheSizeKib), CacheSizeKib, $"{nameof(SqliteStoreOptions)}.{nameof(CacheSizeKib)} must be positive.")
                : null;
}
