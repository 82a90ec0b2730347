using System.Text;
using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>The retention sweep on SQLite: expired previews and leftover files of finished jobs go; a swept preview cannot start.</summary>
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
    public async Task The_sweep_removes_the_file_a_finished_job_left_behind()
    {
        var (files, jobs, job) = await ClaimedFileAsync();

        Assert.Equal(0, await files.DeleteExpiredAsync(new HashSet<string>(), CancellationToken.None));
        var lease = await jobs.AcquireNextAsync("w", TimeSpan.FromMinutes(1), CancellationToken.None);
        await jobs.FinishAsync(lease!, JobStatus.Completed, null, CancellationToken.None);

        Assert.Equal(1, await files.DeleteExpiredAsync(new HashSet<string>(), CancellationToken.None));
        Assert.Null(await files.OpenContentAsync("ou", job.FileId, CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_or_purging_a_job_deletes_the_file_it_left_behind()
    {
        // CONTRACT §6: deleting a finished job, or its retention ending, removes its data; CONTRACT §3: the file goes when the job ends.
        var (files, jobs, deleted) = await ClaimedFileAsync();
        var (_, _, purged) = await ClaimedFileAsync();
        foreach (var job in new[] { deleted, purged })
        {
            var lease = await jobs.AcquireNextAsync("w-" + job.JobId, TimeSpan.FromMinutes(1), CancellationToken.None);
            await jobs.FinishAsync(lease!, JobStatus.Failed, "stopped", CancellationToken.None);
        }

        Assert.Equal(DeleteOutcome.Deleted, await jobs.DeleteAsync("ou", deleted.JobId, CancellationToken.None));
        Assert.Equal(1, await jobs.PurgeFinishedAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None));

        Assert.Null(await files.OpenContentAsync("ou", deleted.FileId, CancellationToken.None));
        Assert.Null(await files.OpenContentAsync("ou", purged.FileId, CancellationToken.None));
    }

    /// <summary>A published file with a queued job that has claimed it, on the test's database.</summary>
    private async Task<(SqliteImportFileStore Files, SqliteJobStore Jobs, ImportJob Job)> ClaimedFileAsync()
    {
        var database = _database.Open();
        var files = new SqliteImportFileStore(database, TimeProvider.System);
        var jobs = new SqliteJobStore(database, TimeProvider.System);
        var fileId = ImportIds.NewFileId();
        await files.WriteContentAsync("ou", fileId, DateTimeOffset.UtcNow.AddHours(1), new MemoryStream([1, 2, 3]), CancellationToken.None);
        await files.PublishAsync(
            new ImportFile
            {
                Ou = "ou",
                FileId = fileId,
                FileName = "a.csv",
                SizeBytes = 3,
                UploadedAt = DateTimeOffset.UtcNow,
                ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
                Format = new Csv.CsvFileFormat(Csv.CsvTextEncoding.Utf8, HasByteOrderMark: false, Delimiter: ','),
                Headers = ["Email"],
                RowCount = 1,
            },
            maxPreviewsPerOu: 50,
            CancellationToken.None);
        var job = new ImportJob
        {
            JobId = ImportIds.NewJobId(),
            Ou = "ou",
            FileId = fileId,
            FileName = "a.csv",
            Status = JobStatus.Queued,
            Settings = new ImportSettings { PrimaryColumn = "Email", PrimaryKind = Identifiers.IdentifierKind.Email, FieldMappings = new Dictionary<string, string>(), AliasMappings = new Dictionary<string, Identifiers.IdentifierKind>() },
            Headers = ["Email"],
            CreatedAt = DateTimeOffset.UtcNow,
            TotalRows = 1,
        };
        await jobs.CreateAsync(job, 10, CancellationToken.None);
        Assert.Equal(FileClaimStatus.Claimed, (await files.ClaimAsync("ou", fileId, job.JobId, CancellationToken.None)).Status);
        return (files, jobs, job);
    }
}
