using Kenbun.LeadImport.PostgreSql;
using Kenbun.LeadImport.Testing.Processes;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>Stores on the tests' own server (<see cref="PostgresCluster"/>, which other projects share as source without the store's internals).</summary>
internal static class PostgresClusterStores
{
    /// <summary>
    /// A store in a schema of its own (a new one each call, created on first use) in the database the tests share:
    /// an empty store without the cost of a database per test.
    /// </summary>
    public static PostgreSqlStorage Storage(this PostgresCluster cluster, TimeProvider timeProvider, string? schema = null) =>
        new(cluster.Database(schema), timeProvider);

    /// <summary>The store's database: a pool of its own on the shared test database, in a new schema unless one is named.</summary>
    public static PostgreSqlDatabase Database(this PostgresCluster cluster, string? schema = null, bool migrate = true) =>
        new(
            NpgsqlDataSource.Create(cluster.ConnectionString(PostgresCluster.SharedDatabase, pooling: true)),
            new PostgreSqlStoreOptions { Schema = schema ?? PostgresCluster.NewSchemaName(), MigrateSchemaAtStart = migrate },
            ownsDataSource: true);
}
