using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>
/// Commits are copied from the write-ahead log into the database in the background, not by the commit that crosses
/// SQLite's threshold. The log is bounded at rest: a reader may let it grow past <see cref="SqliteDatabase.MaxWalBytes"/> (nothing
/// written after the reader began can be checkpointed away), and once the reader has left, the next write after a
/// checkpoint starts the log over and <c>journal_size_limit</c> cuts the file back instead of keeping it at its largest. (Uploads, the
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

        // Once a checkpoint has copied the whole log (the reader no longer holds it back), the next write starts the log
        // over, which is when the file is cut back: writes go on until then.
        await Eventually.HoldsAsync(
            async () =>
            {
                await WriteAsync("INSERT INTO scratch VALUES (1)");
                wal.Refresh();
                return wal.Length <= SqliteDatabase.MaxWalBytes;
            },
            "the log to be cut back");
    }

    [Fact]
    public async Task A_commit_is_copied_into_the_database_in_the_background_with_no_later_write()
    {
        var file = new FileInfo(_database.FilePath);
        await using var database = _database.Open();
        await using var keep = await database.OpenAsync(CancellationToken.None);
        await keep.ExecuteAsync("CREATE TABLE scratch (b BLOB)", CancellationToken.None);
        file.Refresh();
        var before = file.Length;

        // Far below the size at which a commit checkpoints by itself (SqliteDatabase.MaxWalBytes).
        await keep.ExecuteAsync("INSERT INTO scratch VALUES (randomblob(4194304))", CancellationToken.None);

        await Eventually.HoldsAsync(
            () =>
            {
                file.Refresh();
                return file.Length >= before + 4194304;
            },
            "the database file to hold the committed blob");
    }
}
