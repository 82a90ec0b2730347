namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>
/// The write-ahead log is bounded at rest: a reader may let it grow past <see cref="SqliteDatabase.MaxWalBytes"/> (nothing
/// written after the reader began can be checkpointed away), and once the reader has left, the next checkpoint starts
/// the log over and <c>journal_size_limit</c> cuts the file back instead of keeping it at its largest. (Uploads, the
/// bulk of what is written, never pass through it: their bytes are kept beside the database.)
/// </summary>
public sealed class SqliteWalTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task WriteAsync(string sql)
    {
        await using var connection = await _database.Open().OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(sql, CancellationToken.None);
    }

    [Fact]
    public async Task A_log_a_reader_let_grow_past_the_limit_is_cut_back_once_the_reader_has_left()
    {
        var wal = new FileInfo(_database.ConnectionString["Data Source=".Length..] + "-wal");

        // Open throughout: SQLite removes the log when the last connection closes, which would cut it back by itself.
        await using var keep = await _database.Open().OpenAsync(CancellationToken.None);
        await WriteAsync("CREATE TABLE warm (x)");

        // A reader in the middle of a read transaction pins the log: nothing written after it can be checkpointed away.
        await using (var reader = await _database.Open().OpenAsync(CancellationToken.None))
        {
            await reader.ExecuteAsync("BEGIN; SELECT COUNT(*) FROM files;", CancellationToken.None);
            await WriteAsync("CREATE TABLE scratch (b BLOB)");
            for (var i = 0; i < 80; i++)
            {
                await WriteAsync("INSERT INTO scratch VALUES (zeroblob(1048576))");
            }

            wal.Refresh();
            Assert.True(wal.Length > SqliteDatabase.MaxWalBytes, $"The log is {wal.Length} bytes while the reader holds it.");
            await reader.ExecuteAsync("COMMIT", CancellationToken.None);
        }

        // The first write after the reader checkpoints the whole log (it is past the automatic threshold); the next one
        // starts the log over, which is when the file is cut back.
        await WriteAsync("INSERT INTO scratch VALUES (1)");
        await WriteAsync("INSERT INTO scratch VALUES (2)");

        wal.Refresh();
        Assert.True(wal.Length <= SqliteDatabase.MaxWalBytes, $"The log is still {wal.Length} bytes.");
    }
}
