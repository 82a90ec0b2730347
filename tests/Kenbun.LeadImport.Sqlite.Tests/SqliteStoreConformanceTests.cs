using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Storage.Tests;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>The file-store conformance suite against a file-backed SQLite database.</summary>
public sealed class SqliteImportFileStoreTests : ImportFileStoreTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<IImportFileStore> CreateStore(TimeProvider timeProvider) =>
        Task.FromResult<IImportFileStore>(new SqliteImportFileStore(_database.Open(), timeProvider));

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The job-store conformance suite against a file-backed SQLite database.</summary>
public sealed class SqliteJobStoreTests : JobStoreTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<IJobStore> CreateStore(TimeProvider timeProvider) =>
        Task.FromResult<IJobStore>(new SqliteJobStore(_database.Open(), timeProvider));

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The lead-store conformance suite against a file-backed SQLite database.</summary>
public sealed class SqliteLeadStoreTests : LeadStoreTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<(ILeadStore Leads, IJobStore Jobs)> CreateStores(TimeProvider timeProvider)
    {
        var database = _database.Open();
        return Task.FromResult<(ILeadStore, IJobStore)>((new SqliteLeadStore(database), new SqliteJobStore(database, timeProvider)));
    }

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}
