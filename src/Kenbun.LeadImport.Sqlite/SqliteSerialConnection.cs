using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// One long-lived connection, used by one caller at a time. SQLite empties a connection's page cache whenever another
/// connection has written to the database, so pooled connections taking turns at look-ups and commits would re-read
/// the identifier index from disk for every batch; through one connection, each batch finds it in memory.
/// </summary>
internal sealed class SqliteSerialConnection(SqliteDatabase database) : IDisposable, IAsyncDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private SqliteConnection? _connection;

    public async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _connection ??= await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await work(_connection).ConfigureAwait(false);
        }
        catch
        {
            // After a failure the connection's state is unknown (a half-read result, a lost transaction): start afresh.
            await CloseAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose()
    {
        _turn.Wait();
        try
        {
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            await CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task CloseAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }
}
