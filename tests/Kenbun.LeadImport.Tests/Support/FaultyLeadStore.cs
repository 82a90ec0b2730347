using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kenbun.LeadImport.Tests.Support;

/// <summary>
/// An in-memory lead store whose calls fail, or pause, when a test says so. Its failures are
/// <see cref="SimulatedStorageException"/>s of the class the test names, which <see cref="Register"/> also teaches the engine.
/// </summary>
internal sealed class FaultyLeadStore(ILeadStore inner) : ILeadStore
{
    private int _commits;
    private int _lookups;

    /// <summary>Given the 1-based number of a commit attempt, the class of failure it throws before reaching the store, or <see langword="null"/>.</summary>
    public Func<int, StorageFailureKind?> FailCommit { get; set; } = _ => null;

    /// <summary>Given the 1-based number of a look-up attempt, the class of failure it throws before reaching the store, or <see langword="null"/>.</summary>
    public Func<int, StorageFailureKind?> FailLookup { get; set; } = _ => null;

    /// <summary>Runs before each commit attempt that is let through, with its 1-based number.</summary>
    public Func<int, Task> BeforeCommit { get; set; } = _ => Task.CompletedTask;

    /// <summary>How many commits were attempted, failed ones included.</summary>
    public int CommitAttempts => Volatile.Read(ref _commits);

    /// <summary>How many look-ups were attempted, failed ones included.</summary>
    public int LookupAttempts => Volatile.Read(ref _lookups);

    public static void Register(IServiceCollection services, Action<FaultyLeadStore> configure)
    {
        SimulatedFailureClassifier.Register(services);
        services.Replace(ServiceDescriptor.Singleton<ILeadStore>(provider =>
        {
            var store = new FaultyLeadStore(new InMemoryLeadStore(provider.GetRequiredService<InMemoryJobStore>()));
            configure(store);
            return store;
        }));
    }

    public ValueTask LookupAsync(string ou, IReadOnlyCollection<IdentifierKey> identifiers, IDictionary<IdentifierKey, string> owners, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _lookups);
        return FailLookup(attempt) is { } kind
            ? throw new SimulatedStorageException(kind, $"look-up {attempt}")
            : inner.LookupAsync(ou, identifiers, owners, cancellationToken);
    }

    public async ValueTask<BatchCommitResult> CommitBatchAsync(string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _commits);
        if (FailCommit(attempt) is { } kind)
        {
            throw new SimulatedStorageException(kind, $"commit {attempt}");
        }

        await BeforeCommit(attempt);
        cancellationToken.ThrowIfCancellationRequested(); // as a database store would, unlike the in-memory one
        return await inner.CommitBatchAsync(ou, jobId, changes, checkpoint, cancellationToken);
    }

    public ValueTask<Lead?> FindAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken) => inner.FindAsync(ou, identifier, cancellationToken);

    public ValueTask<Page<Lead>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken) => inner.ListAsync(ou, page, limit, cancellationToken);
}
