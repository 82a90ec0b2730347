using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// The statements of one long-lived connection, each prepared on first use and kept: later uses only bind new values.
/// Not for concurrent use (see <see cref="SqliteSerialConnection"/>).
/// </summary>
internal sealed class SqliteStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        await Bind(sql, parameters).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        await Bind(sql, parameters).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);

    public async Task<SqliteDataReader> ReadAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        await Bind(sql, parameters).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _prepared.Clear();
    }

    private SqliteCommand Bind(string sql, (string Name, object? Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = connection.Command(sql, parameters);
            command.Prepare();
            _prepared.Add(sql, command);
            return command;
        }

        foreach (var (name, value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        return command;
    }
}
