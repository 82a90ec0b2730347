namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// One long-lived connection with its prepared statements, used by one caller at a time. SQLite empties a
/// connection's page cache whenever another connection has written to the database, so pooled connections taking
/// turns at look-ups and commits would re-read the identifier index from disk for every batch; through one
/// connection, each batch finds it in memory, and each statement is prepared once.
/// </summary>
internal sealed class SqliteSerialConnection(SqliteDatabase database, bool withCommitCache = false) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private SqliteStatements? _statements;

    public async Task<T> RunAsync<T>(Func<SqliteStatements, Task<T>> work, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _statements ??= new SqliteStatements(await database.OpenAsync(cancellationToken, withCommitCache).ConfigureAwait(false));
            return await work(_statements).ConfigureAwait(false);
        }
        catch
        {
            // After a failure the connection's state is unknown (a half-read result, a lost transaction): start afresh.
            Close();
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
            Close();
        }
        finally
        {
            _turn.Release();
        }
    }

    private void Close()
    {
        if (_statements is not null)
        {
            _statements.Dispose();
            _statements.Connection.Dispose();
            _statements = null;
        }
    }
}
