using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing.Processes;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>The store's failures, raised by a real server, fall in the classes of CONTRACT §6 that the engine and the API act on.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlFailureClassifierTests(PostgresServer server)
{
    private static readonly PostgreSqlStorageFailureClassifier Classifier = PostgreSqlStorageFailureClassifier.Instance;

    [Fact]
    public async Task A_server_nobody_listens_on_is_unavailable()
    {
        var nowhere = new NpgsqlConnectionStringBuilder(server.ConnectionString()) { Port = 1, Timeout = 5 }.ConnectionString;
        await using var connection = new NpgsqlConnection(nowhere);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync());

        Assert.Equal(StorageFailureKind.Unavailable, Classifier.Classify(error).Kind);
    }

    [Theory]
    [InlineData("SELECT pg_terminate_backend(pg_backend_pid())", StorageFailureKind.Unavailable)] // 57P01, as in a server restart
    [InlineData("SET statement_timeout = 1; SELECT pg_sleep(1)", StorageFailureKind.Unavailable)] // 57014, a statement past its timeout
    [InlineData("SELECT 1 / 0", StorageFailureKind.Batch)] // 22012
    [InlineData("CREATE TEMP TABLE u (a int PRIMARY KEY); INSERT INTO u VALUES (1), (1)", StorageFailureKind.Defect)] // 23505
    [InlineData("SELECT * FROM no_such_table", StorageFailureKind.Defect)] // 42P01
    public async Task What_the_server_raises_is_classified_by_its_sqlstate(string sql, StorageFailureKind expected)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString(PostgresCluster.SharedDatabase));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(expected, Classifier.Classify(error).Kind);
    }

    [Fact]
    public void A_full_disk_is_out_of_space()
    {
        var diskFull = new PostgresException("could not extend file", "ERROR", "ERROR", PostgresErrorCodes.DiskFull);

        var failure = Classifier.Classify(diskFull);

        Assert.Equal(StorageFailureKind.Unavailable, failure.Kind);
        Assert.True(failure.IsOutOfSpace);
    }
}
