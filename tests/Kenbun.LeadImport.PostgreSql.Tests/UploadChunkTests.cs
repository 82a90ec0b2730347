using System.Text;
using Kenbun.LeadImport.Testing.Processes;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// An upload's chunks are compressed with lz4 where the server offers it (pglz, the default, costs the server several
/// times the time), and read back byte for byte whatever compressed them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class UploadChunkTests(PostgresServer server)
{
    private const string Ou = "ou-a";

    [Fact]
    public async Task Chunks_are_compressed_with_lz4_where_the_server_offers_it_and_read_back_whole()
    {
        var schema = PostgresCluster.NewSchemaName();
        await using var host = PostgresHost.Create(server.ConnectionString(PostgresCluster.SharedDatabase, pooling: true), schema);
        var csv = Encoding.UTF8.GetBytes("Email,Name\n" + string.Concat(Enumerable.Range(0, 30_000).Select(i => $"lead{i}@example.com,Zoë Müller {i}\n")));

        var preview = await host.Service.PreviewAsync(Ou, "leads.csv", new MemoryStream(csv), CancellationToken.None);

        await using var connection = new NpgsqlConnection(server.ConnectionString(PostgresCluster.SharedDatabase));
        await connection.OpenAsync();
        await using var offered = new NpgsqlCommand("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'", connection);
        if (await offered.ExecuteScalarAsync() is true)
        {
            // pg_column_compression exists from PostgreSQL 14, as lz4 does.
            await using var compressions = new NpgsqlCommand($"SELECT array_agg(DISTINCT pg_column_compression(data)) FROM {schema}.file_chunks", connection);
            Assert.Equal(["lz4"], (string[])(await compressions.ExecuteScalarAsync())!);
        }

        await using var content = (await host.Storage.Files.OpenContentAsync(Ou, preview.FileId, CancellationToken.None))!;
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        Assert.Equal(csv, copy.ToArray());
    }
}
