using System.Text;
using Kenbun.LeadImport.Testing.Processes;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// Limits are enforced while the upload streams into the database (CONTRACT §2): a file past the largest size, or one
/// that is no CSV, is refused, and nothing of it stays in the database — no file row, no chunk.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class UploadLimitTests(PostgresServer server)
{
    private const string Ou = "ou-a";

    [Fact]
    public async Task An_upload_past_the_largest_size_is_refused_while_it_streams_and_leaves_nothing_in_the_database()
    {
        var schema = PostgresCluster.NewSchemaName();
        await using var host = PostgresHost.Create(server.ConnectionString(PostgresCluster.SharedDatabase, pooling: true), schema, options => options.MaxFileBytes = 600_000);
        var rows = string.Concat(Enumerable.Range(0, 40_000).Select(i => $"lead{i}@example.com\n"));

        await Assert.ThrowsAsync<FileTooLargeException>(() => host.Service.PreviewAsync(Ou, "big.csv", new MemoryStream(Encoding.UTF8.GetBytes("Email\n" + rows)), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidCsvFileException>(() => host.Service.PreviewAsync(Ou, "binary.csv", new MemoryStream([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0]), CancellationToken.None));

        await using var connection = new NpgsqlConnection(server.ConnectionString(PostgresCluster.SharedDatabase));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT (SELECT COUNT(*) FROM {schema}.files) + (SELECT COUNT(*) FROM {schema}.file_chunks)", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
