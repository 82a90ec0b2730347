using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>Runs work in a write transaction taken at once (<c>BEGIN IMMEDIATE</c>), so read-then-write steps are atomic across processes.</summary>
internal static class SqliteTransaction
{
    /// <summary>Runs <paramref name="work"/> in a write transaction on a connection of its own.</summary>
    /// <param name="database">The database to open the connection on.</param>
    /// <param name="work">The transaction's work; an exception rolls it back.</param>
    /// <param name="cancellationToken">Stops the wait for the connection, the lock or the work.</param>
    /// <param name="withCommitCache">Whether the work writes all over the identifier index (see <see cref="SqliteDatabase.OpenAsync"/>).</param>
    public static async Task<T> WriteAsync<T>(
        this SqliteDatabase database, Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken, bool withCommitCache = false)
    {
        var connection = await database.OpenAsync(cancellationToken, withCommitCache).ConfigureAwait(false);
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
            RollBack(connection);
            throw;
        }
    }

    /// <summary>
    /// Ends a failed transaction without hiding why it failed. SQLite rolls some failures back itself (a full disk, an
    /// I/O error), and then ROLLBACK finds no transaction; a connection still inside one after a failed ROLLBACK must
    /// not go back to the pool, where the next caller would write into it.
    /// </summary>
    private static void RollBack(SqliteConnection connection)
    {
        try
        {
            using var rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
            {
                SqliteConnection.ClearPool(connection);
            }
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
