using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>Runs work in a write transaction taken at once (<c>BEGIN IMMEDIATE</c>), so read-then-write steps are atomic across processes.</summary>
internal static class SqliteTransaction
{
    public static async Task<T> WriteAsync<T>(this SqliteDatabase database, Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await connection.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<T> WriteAsync<T>(this SqliteConnection connection, Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("BEGIN IMMEDIATE", cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await work(connection).ConfigureAwait(false);
            await connection.ExecuteAsync("COMMIT", cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch
        {
            await connection.ExecuteAsync("ROLLBACK", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public static async Task<T> ReadAsync<T>(this SqliteDatabase database, Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(connection).ConfigureAwait(false);
        }
    }
}
