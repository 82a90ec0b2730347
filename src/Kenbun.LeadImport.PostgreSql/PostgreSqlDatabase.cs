using Npgsql;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// The store's database: connections from one <see cref="NpgsqlDataSource"/> (a pool), the schema its SQL names, and
/// the schema brought up to date — or checked, when the host migrates it itself — before first use.
/// </summary>
internal sealed class PostgreSqlDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>How the store's SQL names its schema: psql's variable syntax, so the shipped scripts run in psql as they are.</summary>
    private const string SchemaToken = ":\"schema\"";

    private readonly bool _ownsDataSource;
    private readonly string _quotedSchema;
    private readonly Lock _migrationLock = new();
    private Task? _migration;

    public PostgreSqlDatabase(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, bool ownsDataSource)
    {
        DataSource = dataSource;
        Options = options;
        _ownsDataSource = ownsDataSource;
        _quotedSchema = $"\"{options.Schema}\"";
    }

    public NpgsqlDataSource DataSource { get; }

    public PostgreSqlStoreOptions Options { get; }

    /// <summary>Where the database is, without the password: for the start-up log.</summary>
    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(DataSource.ConnectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}, schema {Options.Schema}";
    }

    /// <summary>The store's SQL with its schema named: every statement names tables as <c>:"schema".table</c>.</summary>
    public string Sql(string sql) => sql.Replace(SchemaToken, _quotedSchema, StringComparison.Ordinal);

    /// <summary>
    /// Migrates the schema (or checks it, when the host migrates it itself), once: callers share one attempt. One that
    /// failed (the database was down) is tried again by the next caller rather than remembered as the outcome.
    /// </summary>
    public Task EnsureSchemaAsync()
    {
        lock (_migrationLock)
        {
            if (_migration is null || _migration.IsFaulted || _migration.IsCanceled)
            {
                _migration = PostgreSqlSchema.MigrateAsync(this, PostgreSqlSchema.LatestVersion, CancellationToken.None);
            }

            return _migration;
        }
    }

    /// <summary>Opens a pooled connection, after the schema is known to be one this code runs on.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> on a connection of its own, in no transaction: reads, and single statements.</summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction (read committed) and commits it; an exception rolls it back.</summary>
    public Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync(work, _ => true, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction (read committed) and commits it when <paramref name="commit"/>
    /// says so of its result, else rolls it back (a batch with conflicts); an exception rolls it back.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<T>> work, Func<T, bool> commit, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await work(connection).ConfigureAwait(false);
                if (commit(result))
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                return result; // disposing an uncommitted transaction rolls it back
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_ownsDataSource)
        {
            DataSource.Dispose();
        }
    }
}
