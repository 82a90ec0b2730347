using System.Text;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static SQLitePCL.raw;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>
/// How the SQLite stores classify their failures (<see cref="SqliteStorageFailureClassifier"/>), and a job on SQLite
/// that meets a database locked by another process: it stalls, fails nothing, and goes on exactly once the lock is gone.
/// </summary>
public sealed class SqliteStorageFailureTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData(SQLITE_BUSY, SQLITE_BUSY, StorageFailureKind.Unavailable)]
    [InlineData(SQLITE_BUSY, 517 /* SQLITE_BUSY_SNAPSHOT */, StorageFailureKind.Unavailable)]
    [InlineData(SQLITE_LOCKED, SQLITE_LOCKED, StorageFailureKind.Unavailable)]
    [InlineData(SQLITE_FULL, SQLITE_FULL, StorageFailureKind.Unavailable)]
    [InlineData(SQLITE_IOERR, 778 /* SQLITE_IOERR_WRITE */, StorageFailureKind.Unavailable)]
    [InlineData(SQLITE_CANTOPEN, SQLITE_CANTOPEN, StorageFailureKind.Unavailable)]
    [InlineData(SQLITE_READONLY, SQLITE_READONLY, StorageFailureKind.Unavailable)]
    [InlineData(SQLITE_NOMEM, SQLITE_NOMEM, StorageFailureKind.Unavailable)]
    [InlineData(SQLITE_TOOBIG, SQLITE_TOOBIG, StorageFailureKind.Batch)]
    [InlineData(SQLITE_CONSTRAINT, 2067 /* SQLITE_CONSTRAINT_UNIQUE */, StorageFailureKind.Defect)]
    [InlineData(SQLITE_MISMATCH, SQLITE_MISMATCH, StorageFailureKind.Defect)]
    [InlineData(SQLITE_CORRUPT, SQLITE_CORRUPT, StorageFailureKind.Defect)]
    [InlineData(SQLITE_NOTADB, SQLITE_NOTADB, StorageFailureKind.Defect)]
    [InlineData(SQLITE_ERROR, SQLITE_ERROR, StorageFailureKind.Defect)]
    [InlineData(SQLITE_MISUSE, SQLITE_MISUSE, StorageFailureKind.Defect)]
    public void Result_codes_say_the_class(int code, int extendedCode, StorageFailureKind expected)
    {
        var failure = SqliteStorageFailureClassifier.Instance.Classify(new SqliteException("SQLite Error", code, extendedCode));

        Assert.Equal(expected, failure.Kind);
        Assert.Equal(code == SQLITE_FULL, failure.IsOutOfSpace);
        Assert.DoesNotContain("SQLITE", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(Exception), failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_at_its_size_limit_is_out_of_space()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE t (v BLOB); PRAGMA max_page_count = 8");

        var full = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(connection, "INSERT INTO t VALUES (zeroblob(1000000))"));

        var failure = SqliteStorageFailureClassifier.Instance.Classify(full);
        Assert.Equal((StorageFailureKind.Unavailable, true), (failure.Kind, failure.IsOutOfSpace));
    }

    [Fact]
    public void Other_exceptions_are_classified_as_the_default_does()
    {
        Assert.Equal(StorageFailureKind.Unavailable, SqliteStorageFailureClassifier.Instance.Classify(new TimeoutException()).Kind);
        Assert.Equal(StorageFailureKind.Defect, SqliteStorageFailureClassifier.Instance.Classify(new InvalidOperationException()).Kind);
    }

    [Fact]
    public async Task A_database_locked_past_the_busy_timeout_is_unavailable_and_a_broken_constraint_a_defect()
    {
        await using var holder = await OpenAsync();
        await ExecuteAsync(holder, "CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1); BEGIN IMMEDIATE");
        await using var waiter = await OpenAsync("Default Timeout=1");

        var locked = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(waiter, "BEGIN IMMEDIATE"));
        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(holder, "INSERT INTO t VALUES (1)"));

        Assert.Equal(StorageFailureKind.Unavailable, SqliteStorageFailureClassifier.Instance.Classify(locked).Kind);
        Assert.Equal(StorageFailureKind.Defect, SqliteStorageFailureClassifier.Instance.Classify(duplicate).Kind);
    }

    [Fact]
    public void Sqlite_storage_classifies_its_failures_with_the_sqlite_classifier()
    {
        using var provider = new ServiceCollection().AddLeadImport().UseSqlite(_database.ConnectionString).Services.BuildServiceProvider();

        Assert.Same(SqliteStorageFailureClassifier.Instance, provider.GetRequiredService<LeadImportStorage>().FailureClassifier);
    }

    [Fact]
    public async Task A_job_stalls_while_another_process_holds_the_database_and_goes_on_exactly_after()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddLeadImport(o =>
        {
            o.BatchSize = 10;
            o.WorkerPollInterval = TimeSpan.FromMilliseconds(20);
            o.StorageRetryDelay = TimeSpan.FromMilliseconds(10);
            o.StorageRetryMaxDelay = TimeSpan.FromMilliseconds(50);
        }).UseSqlite(_database.ConnectionString, o => o.BusyTimeout = TimeSpan.FromMilliseconds(50));
        builder.Services.AddHealthChecks().AddLeadImport();
        using var host = builder.Build();
        await host.StartAsync();
        var import = host.Services.GetRequiredService<ILeadImportService>();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var csv = "Email\n" + string.Join("\n", Enumerable.Range(0, 8_000).Select(i => $"u{i % 6_000}@x.com"));
        var preview = await import.PreviewAsync("ou", "leads.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);
        var request = new StartImportRequest { FileId = preview.FileId, PrimaryIdentifier = new PrimaryIdentifierRequest("Email", "email") };
        var jobId = Assert.IsType<StartImportResult.Started>(await import.StartAsync("ou", request, CancellationToken.None)).Job.JobId;

        // Once the job runs, another process takes the write lock (waiting for the engine's current commit) and keeps it.
        await WaitForAsync(async () => (await import.GetJobAsync("ou", jobId, CancellationToken.None))!.Counters.Processed > 0);
        await using var other = await OpenAsync();
        await ExecuteAsync(other, "PRAGMA busy_timeout = 30000; BEGIN IMMEDIATE");
        ImportJob? stalled = null;
        await WaitForAsync(async () => (stalled = await import.GetJobAsync("ou", jobId, CancellationToken.None))!.Stall is not null);

        // The store cannot take the write that would record the stall; the job detail shows it from the running job.
        Assert.Equal(JobStatus.InProgress, stalled!.Status);
        Assert.Null((await host.Services.GetRequiredService<IJobStore>().GetAsync("ou", jobId, 0, CancellationToken.None))!.Stall);
        Assert.InRange(stalled.Counters.Processed, 1, 7_990);
        Assert.Equal("The database is locked by another connection or process.", stalled.Stall?.Reason);
        var report = (await health.CheckHealthAsync()).Entries[LeadImportHealthChecksBuilderExtensions.DefaultName];
        Assert.Equal((HealthStatus.Unhealthy, stalled.Stall!.Reason, 1), (report.Status, report.Data["reason"], report.Data["stalled_jobs"]));

        await ExecuteAsync(other, "ROLLBACK");
        ImportJob? job = null;
        await WaitForAsync(async () => (job = await import.GetJobAsync("ou", jobId, CancellationToken.None))!.Status.IsFinal());

        Assert.Equal(JobStatus.Completed, job!.Status);
        Assert.Equal(new JobCounters(6_000, 2_000, 0, 0), job.Counters);
        Assert.Null(job.Stall);
        Assert.Equal(6_000, (await host.Services.GetRequiredService<ILeadStore>().ListAsync("ou", 1, 1, CancellationToken.None)).Total);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
    }

    private async Task<SqliteConnection> OpenAsync(string settings = "")
    {
        _database.Open(); // creates the database's folder
        var connection = new SqliteConnection($"{_database.ConnectionString};Pooling=False;{settings}");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Gave up waiting.");
            await Task.Delay(5);
        }
    }
}
