using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// Copies the write-ahead log into the database on a connection of its own after commits, so that no commit waits for
/// it. SQLite's automatic checkpoint runs inside the commit that crosses its threshold: on an import it was three
/// quarters of the time commits took (the log's pages written back and synced every 16 MB), and the import's commits
/// are the pipeline's slowest stage. Requests made while a checkpoint runs are served by one more checkpoint. A
/// checkpoint that fails or cannot start within a second (a long write of another process, a failing disk) is left to
/// the next one: what it would copy is committed already, and the connections' own automatic checkpoint, at
/// <see cref="SqliteDatabase.MaxWalBytes"/>, still bounds the log should these fall behind.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable, IAsyncDisposable
{
    // SQLite lets one connection at a time checkpoint a database and refuses the others at once, without waiting, so
    // checkpoints of one file in this process take turns: the sweep's truncation is not refused for this process's background one.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Turns = new(StringComparer.Ordinal);

    /// <summary>How long a checkpoint waits for the write lock (SQLite's busy timeout and the driver's command timeout).</summary>
    private const int WriteLockWaitSeconds = 1;

    private static readonly string BusyTimeout = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {WriteLockWaitSeconds * 1000}");

    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly string _connectionString;
    private readonly Task _running;

    /// <param name="connectionString">The database's connection string.</param>
    public SqliteCheckpointer(string connectionString)
    {
        // Never creates the file: a checkpoint requested just before the database was deleted finds nothing to do. Waits
        // for another connection's write a second at most, so a thread is never held long.
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite, DefaultTimeout = WriteLockWaitSeconds }.ToString();
        _running = Task.Run(RunAsync);
    }

    /// <summary>Asks for a checkpoint soon; returns at once. Called by SQLite while a connection commits.</summary>
    public void Request() => _requests.Writer.TryWrite(true);

    /// <summary>
    /// Runs a checkpoint of <paramref name="mode"/> (<c>PASSIVE</c>, <c>TRUNCATE</c>…) on <paramref name="connection"/>,
    /// in its turn among this process's checkpoints of the same database.
    /// </summary>
    public static async Task CheckpointAsync(SqliteConnection connection, string mode)
    {
        var turn = Turns.GetOrAdd(connection.DataSource, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync().ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync($"PRAGMA wal_checkpoint({mode})", CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>Stops after the checkpoint running, if any.</summary>
    public void Dispose()
    {
        _requests.Writer.TryComplete();
        _running.GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="Dispose"/>
    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _running.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        while (await _requests.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            _requests.Reader.TryRead(out _);
            try
            {
                var connection = new SqliteConnection(_connectionString);
                await using (connection.ConfigureAwait(false))
                {
                    await connection.OpenAsync().ConfigureAwait(false);
                    await connection.ExecuteAsync(BusyTimeout, CancellationToken.None).ConfigureAwait(false);
                    // SQLite asks while the commit is still under way: taking the write lock waits for it to end, so the
                    // checkpoint copies it.
                    await connection.ExecuteAsync("BEGIN IMMEDIATE; ROLLBACK;", CancellationToken.None).ConfigureAwait(false);
                    // PASSIVE copies what no reader still needs, waiting for no one: writers go on meanwhile.
                    await CheckpointAsync(connection, "PASSIVE").ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
            {
                // Busy past the timeout, failing, or the database is gone: the next request tries again.
            }
        }
    }
}
