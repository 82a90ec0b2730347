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
