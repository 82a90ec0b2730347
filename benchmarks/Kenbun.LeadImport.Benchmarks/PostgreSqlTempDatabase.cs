using Kenbun.LeadImport.Testing.Processes;
using Npgsql;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>A database of its own on a <see cref="PostgresCluster"/>; disposing drops it, with whatever is still connected to it.</summary>
internal sealed class PostgreSqlTempDatabase : IAsyncDisposable
{
    private readonly PostgresCluster _cluster;

    private PostgreSqlTempDatabase(PostgresCluster cluster, string connectionString) => (_cluster, ConnectionString) = (cluster, connectionString);

    /// <summary>The connection string of the database, pooled as a host's is.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates a fresh database on <paramref name="cluster"/>.</summary>
    public static async Task<PostgreSqlTempDatabase> CreateAsync(PostgresCluster cluster) => new(cluster, PickupDelay.Pooled(await cluster.CreateDatabaseAsync(), "benchmark"));

    /// <summary>Drops the database, so the iterations of a benchmark do not fill the cluster's disk.</summary>
    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE {new NpgsqlConnectionStringBuilder(ConnectionString).Database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
