using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kenbun.LeadImport.Tests.Support;

/// <summary>In-memory storage whose batch commits fail, or pause, when a test says so.</summary>
internal sealed class FaultyStorage(LeadImportStorage inner) : DelegatingStorage(inner)
{
    private int _commits;

    /// <summary>Given the 1-based number of a commit attempt, whether it throws before reaching the store.</summary>
    public Func<int, bool> FailCommit { get; set; } = _ => false;

    /// <summary>Runs before each commit attempt that is let through, with its 1-based number.</summary>
    public Func<int, Task> BeforeCommit { get; set; } = _ => Task.CompletedTask;

    public static void Register(IServiceCollection services, Action<FaultyStorage> configure) =>
        services.Replace(ServiceDescriptor.Singleton<LeadImportStorage>(provider =>
        {
            var storage = new FaultyStorage(new InMemoryStorage(provider.GetRequiredService<TimeProvider>()));
            configure(storage);
            return storage;
        }));

    public override async ValueTask<BatchCommitResult> CommitBatchAsync(
        string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _commits);
        if (FailCommit(attempt))
        {
            throw new IOException($"Simulated storage failure on commit {attempt}.");
        }

        await BeforeCommit(attempt);
        cancellationToken.ThrowIfCancellationRequested(); // as a database store would, unlike the in-memory one
        return await base.CommitBatchAsync(ou, jobId, changes, checkpoint, cancellationToken);
    }
}
