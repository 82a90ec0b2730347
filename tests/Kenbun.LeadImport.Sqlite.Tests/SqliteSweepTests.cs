using System.Text;
using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>The retention sweep on SQLite: expired previews and files finished jobs left behind go; a swept preview cannot start.</summary>
public sealed class SqliteSweepTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task An_expired_previews_file_is_removed_by_the_sweep_and_its_start_answers_not_found()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddLeadImport().UseSqlite(_database.ConnectionString);
        await using var provider = services.BuildServiceProvider();
        var import = provider.GetRequiredService<ILeadImportService>();
        var files = provider.GetRequiredService<IImportFileStore>();
        var preview = await import.PreviewAsync("ou", "a.csv", new MemoryStream(Encoding.UTF8.GetBytes("Email\na@x.com\n")), CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(61));
        await provider.GetServices<IHostedService>().OfType<RetentionSweeper>().Single().SweepOnceAsync(CancellationToken.None);

        Assert.Null(await files.OpenContentAsync("ou", preview.FileId, CancellationToken.None));
        var request = new StartImportRequest { FileId = preview.FileId, PrimaryIdentifier = new PrimaryIdentifierRequest("Email", "email") };
        Assert.IsType<StartImportResult.FileNotFound>(await import.StartAsync("ou", request, CancellationToken.None));
    }

    [Fact]
    public async Task The_sweep_removes_a_file_that_a_finished_job_left_behind()
    {
        // Before finishing a job deleted its file in the same transaction, a worker deleted it afterwards and could stop
        // in between: such a file, owned by a finished job, goes with the next sweep.
        var storage = _database.Storage(TimeProvider.System);
        var fileId = ImportIds.NewFileId();
        await storage.Files.WriteContentAsync("ou", fileId, DateTimeOffset.UtcNow.AddHours(1), new MemoryStream("Email\na@x.com\n"u8.ToArray()), CancellationToken.None);
        Assert.True(await storage.Files.PublishAsync(StoreTestData.NewPreview("ou", fileId, DateTimeOffset.UtcNow), 50, CancellationToken.None));
        var job = StoreTestData.NewJob("ou", DateTimeOffset.UtcNow, fileId);
        Assert.Equal(JobCreationStatus.Created, (await storage.CreateJobAsync(job, 10, CancellationToken.None)).Status);
        await using (var connection = await _database.Open().OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(
                "UPDATE jobs SET status = $completed, completed_at = 1 WHERE job_id = $id", CancellationToken.None, ("$completed", (int)JobStatus.Completed), ("$id", job.JobId));
        }

        var swept = await storage.SweepAsync(DateTimeOffset.MinValue, CancellationToken.None);

        Assert.Equal(1, swept.DeletedFiles);
        Assert.Null(await storage.Files.OpenContentAsync("ou", fileId, CancellationToken.None));
    }

    [Fact]
    public async Task The_sweep_empties_the_write_ahead_log_that_writes_grew()
    {
        var storage = _database.Storage(TimeProvider.System);
        var wal = new FileInfo(_database.ConnectionString["Data Source=".Length..] + "-wal");

        // Open throughout: SQLite removes the log when the last connection closes, which would empty it by itself.
        await using var connection = await _database.Open().OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("CREATE TABLE scratch (b BLOB); INSERT INTO scratch VALUES (zeroblob(8000000));", CancellationToken.None);

        wal.Refresh();
        Assert.True(wal.Length > 4 * 1024 * 1024, $"The WAL is {wal.Length} bytes.");

        await storage.SweepAsync(DateTimeOffset.MinValue, CancellationToken.None);

        wal.Refresh();
        Assert.Equal(0, wal.Exists ? wal.Length : 0);
    }

    [Fact]
    public async Task Uploads_are_kept_beside_the_database_not_in_its_log_and_bytes_without_a_row_are_swept()
    {
        var storage = _database.Storage(TimeProvider.System);
        var wal = new FileInfo(_database.ConnectionString["Data Source=".Length..] + "-wal");
        var uploads = new DirectoryInfo(_database.ConnectionString["Data Source=".Length..] + "-uploads");
        var kept = ImportIds.NewFileId();
        var orphaned = ImportIds.NewFileId();
        foreach (var fileId in new[] { kept, orphaned })
        {
            await storage.Files.WriteContentAsync("ou", fileId, DateTimeOffset.UtcNow.AddHours(1), new MemoryStream(new byte[8 * 1024 * 1024]), CancellationToken.None);
        }

        wal.Refresh();
        var logBytes = wal.Exists ? wal.Length : 0; // SQLite removes the log when its last connection closes
        Assert.True(logBytes < 1024 * 1024, $"The log is {logBytes} bytes.");
        Assert.Equal(2, uploads.GetFiles("*", SearchOption.AllDirectories).Length);

        // A row deleted without its bytes (a finished job's file, a crash in between): the sweep takes the bytes.
        await using (var connection = await _database.Open().OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("DELETE FROM files WHERE file_id = $id", CancellationToken.None, ("$id", orphaned));
        }

        await storage.SweepAsync(DateTimeOffset.MinValue, CancellationToken.None);

        Assert.Equal([kept], uploads.GetFiles("*", SearchOption.AllDirectories).Select(f => f.Name));
        Assert.Equal(8 * 1024 * 1024, (await ReadAllAsync(storage, kept)).Length);
        await storage.Files.DeleteAsync("ou", kept, CancellationToken.None);
        Assert.Empty(uploads.GetFiles("*", SearchOption.AllDirectories));
    }

    private static async Task<byte[]> ReadAllAsync(LeadImportStorage storage, string fileId)
    {
        await using var content = (await storage.Files.OpenContentAsync("ou", fileId, CancellationToken.None))!;
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }
}
