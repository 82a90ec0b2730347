using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>The file suite against PostgreSQL, each test in a schema of its own.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlImportFileStoreTests(PostgresServer server) : ImportFileStoreTests
{
    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult<LeadImportStorage>(server.Storage(timeProvider));
}

/// <summary>The job suite against PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlJobStoreTests(PostgresServer server) : JobStoreTests
{
    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult<LeadImportStorage>(server.Storage(timeProvider));
}

/// <summary>The lead suite against PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlLeadStoreTests(PostgresServer server) : LeadStoreTests
{
    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult<LeadImportStorage>(server.Storage(timeProvider));
}

/// <summary>The suite of operations that span files, jobs and leads, against PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlStorageOperationTests(PostgresServer server) : StorageOperationTests
{
    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult<LeadImportStorage>(server.Storage(timeProvider));
}

/// <summary>The erasure suite (forgetting a person, deleting an OU) against PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlErasureTests(PostgresServer server) : ErasureTests
{
    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult<LeadImportStorage>(server.Storage(timeProvider));
}
