using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;

namespace Kenbun.LeadImport.Tests.Storage;

// The conformance suites against the in-memory storage.
public sealed class InMemoryImportFileStoreTests : ImportFileStoreTests
{
    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult<LeadImportStorage>(new InMemoryStorage(timeProvider));
}

public sealed class InMemoryJobStoreTests : JobStoreTests
{
    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult<LeadImportStorage>(new InMemoryStorage(timeProvider));
}

public sealed class InMemoryLeadStoreTests : LeadStoreTests
{
    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult<LeadImportStorage>(new InMemoryStorage(timeProvider));
}

public sealed class InMemoryStorageOperationTests : StorageOperationTests
{
    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult<LeadImportStorage>(new InMemoryStorage(timeProvider));
}

public sealed class InMemoryErasureTests : ErasureTests
{
    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult<LeadImportStorage>(new InMemoryStorage(timeProvider));
}
