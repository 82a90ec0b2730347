namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>The schema is created and migrated at start: versioned, idempotent, safe when several start at once.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Many_openers_of_one_new_database_migrate_it_once_and_all_come_up()
    {
        var openers = Enumerable.Range(0, 8).Select(_ => _database.Open()).ToList();

        var connections = await Task.WhenAll(openers.Select(d => Task.Run(() => d.OpenAsync(CancellationToken.None))));

        foreach (var connection in connections)
        {
            Assert.Equal(2L, await connection.ScalarAsync("PRAGMA user_version", CancellationToken.None));
            Assert.Equal("wal", await connection.ScalarAsync("PRAGMA journal_mode", CancellationToken.None));
            Assert.Equal(1L, await connection.ScalarAsync("PRAGMA foreign_keys", CancellationToken.None));
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task Opening_an_up_to_date_database_again_changes_nothing()
    {
        await using (var first = await _database.Open().OpenAsync(CancellationToken.None))
        {
            await first.ExecuteAsync("INSERT INTO files (ou, file_id, expires_at) VALUES ('ou', 'preview_x', 1)", CancellationToken.None);
        }

        await using var again = await _database.Open().OpenAsync(CancellationToken.None);

        Assert.Equal(1L, await again.ScalarAsync("SELECT COUNT(*) FROM files", CancellationToken.None));
    }
}
