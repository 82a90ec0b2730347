using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>Small helpers that keep the stores' SQL readable: a command with named parameters in one call.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(this SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<object?> ScalarAsync(this SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Milliseconds since the Unix epoch: how timestamps are stored, so they compare as integers.</summary>
    public static long ToStored(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromStored(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    /// <summary>
    /// Copies the write-ahead log into the database and empties it (automatic checkpoints never shrink it). A reader still
    /// on an older snapshot (another process) keeps it from finishing within the busy timeout; it is not retried: later
    /// writes overwrite the log from its start after the next checkpoint, and the next sweep tries again.
    /// </summary>
    public static async Task TruncateWalAsync(this SqliteConnection connection)
    {
        try
        {
            await SqliteCheckpointer.CheckpointAsync(connection, "TRUNCATE").ConfigureAwait(false);
        }
        catch (SqliteException)
        {
            // Busy past the timeout: what was deleted is committed either way.
        }
    }
}
