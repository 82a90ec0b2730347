using Kenbun.LeadImport.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static SQLitePCL.raw;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>
/// How the SQLite stores classify their failures (<see cref="SqliteStorageFailureClassifier"/>).
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
        Assert.DoesNotContain("SQLITE", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(Exception), failure.Reason, StringComparison.Ordinal);
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
    public void UseSqlite_registers_the_sqlite_classifier()
    {
        using var provider = new ServiceCollection().AddLeadImport().UseSqlite(_database.ConnectionString).Services.BuildServiceProvider();

        Assert.Same(SqliteStorageFailureClassifier.Instance, provider.GetRequiredService<IStorageFailureClassifier>());
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
}
