using System.Reflection;
using System.Runtime.ExceptionServices;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Streams;
using Kenbun.LeadImport.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kenbun.LeadImport.Tests.Support;

/// <summary>
/// In-memory storage whose calls fail, or pause, when a test says so. Its failures are
/// <see cref="SimulatedStorageException"/>s of the class the test names, which it classifies as a provider classifies its
/// own exceptions (<see cref="SimulatedFailureClassifier"/>).
/// </summary>
internal sealed class FaultyStorage : DelegatingStorage
{
    private readonly ILeadStore _leads;
    private readonly IJobStore _jobs;
    private readonly IImportFileStore _files;
    private int _commits;
    private int _lookups;
    private int _fileReads;

    public FaultyStorage(LeadImportStorage inner)
        : base(inner)
    {
        _leads = new FailingLookups(this, inner.Leads);
        _jobs = FailingAcquire.Wrap(this, inner.Jobs);
        _files = new FailingFileReads(this, inner.Files);
    }

    /// <summary>Given the 1-based number of a commit attempt, the class of failure it throws before reaching the store, or <see langword="null"/>.</summary>
    public Func<int, StorageFailureKind?> FailCommit { get; set; } = _ => null;

    /// <summary>Given the 1-based number of a look-up attempt, the class of failure it throws before reaching the store, or <see langword="null"/>.</summary>
    public Func<int, StorageFailureKind?> FailLookup { get; set; } = _ => null;

    /// <summary>Given the 1-based number of a read of any file content the store opened, the class of failure it throws, or <see langword="null"/>.</summary>
    public Func<int, StorageFailureKind?> FailFileRead { get; set; } = _ => null;

    /// <summary>At each search for queued jobs, the class of failure it throws, or <see langword="null"/>: a store gone between jobs.</summary>
    public Func<StorageFailureKind?> FailAcquire { get; set; } = () => null;

    /// <summary>Runs before each commit attempt that is let through, with its 1-based number.</summary>
    public Func<int, Task> BeforeCommit { get; set; } = _ => Task.CompletedTask;

    /// <summary>Awaited before each look-up that does not fail, with its attempt number: lets a test hold look-ups back.</summary>
    public Func<int, Task> BeforeLookup { get; set; } = _ => Task.CompletedTask;

    /// <summary>How many commits were attempted, failed ones included.</summary>
    public int CommitAttempts => Volatile.Read(ref _commits);

    /// <summary>The rows processed by the end of each commit that went through, in order: the progress a reader of the job saw.</summary>
    public List<long> CommittedProgress { get; } = [];

    /// <summary>How many look-ups were attempted, failed ones included.</summary>
    public int LookupAttempts => Volatile.Read(ref _lookups);

    /// <summary>How many reads of file content were attempted, failed ones included.</summary>
    public int FileReadAttempts => Volatile.Read(ref _fileReads);

    public override ILeadStore Leads => _leads;

    public override IImportFileStore Files => _files;

    public override IJobStore Jobs => _jobs;

    public override IStorageFailureClassifier FailureClassifier => SimulatedFailureClassifier.Instance;

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
        if (FailCommit(attempt) is { } kind)
        {
            throw new SimulatedStorageException(kind, $"commit {attempt}");
        }

        await BeforeCommit(attempt);
        cancellationToken.ThrowIfCancellationRequested(); // as a database store would, unlike the in-memory one
        var result = await base.CommitBatchAsync(ou, jobId, changes, checkpoint, cancellationToken);
        if (result.Status == BatchCommitStatus.Committed)
        {
            lock (CommittedProgress)
            {
                CommittedProgress.Add(checkpoint.Counters.Processed);
            }
        }

        return result;
    }

    /// <summary>The leads, whose look-ups fail as <see cref="FailLookup"/> says.</summary>
    private sealed class FailingLookups(FaultyStorage storage, ILeadStore inner) : ILeadStore
    {
        public async ValueTask LookupAsync(string ou, IReadOnlyCollection<IdentifierKey> identifiers, IDictionary<IdentifierKey, string> owners, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref storage._lookups);
            if (storage.FailLookup(attempt) is { } kind)
            {
                throw new SimulatedStorageException(kind, $"look-up {attempt}");
            }

            await storage.BeforeLookup(attempt);
            await inner.LookupAsync(ou, identifiers, owners, cancellationToken);
        }

        public ValueTask<Lead?> FindAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken) => inner.FindAsync(ou, identifier, cancellationToken);

        public ValueTask<Page<Lead>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken) => inner.ListAsync(ou, page, limit, cancellationToken);

        public ValueTask<LeadFeedPage> ReadFeedAsync(string ou, LeadFeedPosition after, int limit, CancellationToken cancellationToken) =>
            inner.ReadFeedAsync(ou, after, limit, cancellationToken);
    }

    /// <summary>The files, whose content reads fail as <see cref="FailFileRead"/> says, as a store reading its database piece by piece would.</summary>
    private sealed class FailingFileReads(FaultyStorage storage, IImportFileStore inner) : DelegatingImportFileStore(inner)
    {
        public override async ValueTask<Stream?> OpenContentAsync(string ou, string fileId, CancellationToken cancellationToken) =>
            await base.OpenContentAsync(ou, fileId, cancellationToken) is { } content ? new FailingReads(storage, content) : null;
    }

    private sealed class FailingReads(FaultyStorage storage, Stream inner) : ForwardReadStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var attempt = Interlocked.Increment(ref storage._fileReads);
            return storage.FailFileRead(attempt) is { } kind
                ? throw new SimulatedStorageException(kind, $"file read {attempt}")
                : inner.ReadAsync(buffer, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The jobs, whose search for queued jobs fails as <see cref="FailAcquire"/> says; every other call passes.</summary>
    private class FailingAcquire : DispatchProxy
    {
        private FaultyStorage? _storage;
        private IJobStore? _inner;

        public static IJobStore Wrap(FaultyStorage storage, IJobStore inner)
        {
            var jobs = Create<IJobStore, FailingAcquire>();
            var proxy = (FailingAcquire)(object)jobs;
            (proxy._storage, proxy._inner) = (storage, inner);
            return jobs;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IJobStore.AcquireNextAsync) && _storage!.FailAcquire() is { } kind)
            {
                throw new SimulatedStorageException(kind, "search for queued jobs");
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}
