using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>The file suite against a file-backed SQLite database.</summary>
public sealed class SqliteImportFileStoreTests : ImportFileStoreTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult(_database.Storage(timeProvider));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}

/// <summary>The job suite against a file-backed SQLite database.</summary>
public sealed class SqliteJobStoreTests : JobStoreTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult(_database.Storage(timeProvider));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}

/// <summary>The lead suite against a file-backed SQLite database.</summary>
public sealed class SqliteLeadStoreTests : LeadStoreTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult(_database.Storage(timeProvider));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}

/// <summary>The suite of operations that span files, jobs and leads, against a file-backed SQLite database.</summary>
public sealed class SqliteStorageOperationTests : StorageOperationTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult(_database.Storage(timeProvider));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}

/// <summary>The erasure suite (forgetting a person, deleting an OU) against a file-backed SQLite database.</summary>
public sealed class SqliteErasureTests : ErasureTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult(_database.Storage(timeProvider));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}
