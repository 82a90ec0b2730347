using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>Two processes starting on one fresh database both come up: the schema is created once, by whichever is first.</summary>
public sealed class SchemaRaceTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kenbun-race-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Two_processes_starting_on_one_fresh_database_both_come_up()
    {
        var connectionString = $"Data Source={Path.Combine(_folder, "leads.db")}";

        using var processes = await SampleHosts.StartAsync(2, connectionString);

        foreach (var process in processes.All)
        {
            var response = await process.Client.PostAsync("/leads/import/preview", new MultipartFormDataContent
            {
                { new ByteArrayContent("Email\na@x.com\n"u8.ToArray()), "file", "a.csv" },
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        // Raw: a connection that migrates would bring the schema up to date itself and prove nothing.
        await using var connection = await new SqliteDatabase(connectionString, new()).OpenRawAsync(CancellationToken.None);
        Assert.Equal((long)SqliteSchema.LatestVersion, await connection.ScalarAsync("PRAGMA user_version", CancellationToken.None));
        Assert.Equal(2L, await connection.ScalarAsync("SELECT COUNT(*) FROM files", CancellationToken.None));
    }
}
