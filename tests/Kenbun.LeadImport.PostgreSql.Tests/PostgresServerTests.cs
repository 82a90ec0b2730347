using Npgsql;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>The tests start a PostgreSQL 15 server of their own, with no set-up on the machine beyond its packages.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task The_tests_own_server_answers_on_a_database_of_the_tests_own()
    {
        await using var connection = new NpgsqlConnection(await server.CreateDatabaseAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version_num')::int, current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.InRange(reader.GetInt32(0), 150000, 159999);
        Assert.StartsWith("test_", reader.GetString(1), StringComparison.Ordinal);
    }
}
