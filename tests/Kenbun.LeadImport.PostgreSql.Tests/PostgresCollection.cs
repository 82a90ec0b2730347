using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>The server the assembly's tests share: a <see cref="PostgresCluster"/> started before the first and deleted after the last.</summary>
public sealed class PostgresServer : PostgresCluster, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>The tests that share one <see cref="PostgresServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
