using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>
/// In-memory storage that is slow and unreliable in a seeded, random way: look-ups and commits wait 0–3 ms before and
/// after reaching the store (so the pipeline's stages finish in varying orders), and a call sometimes fails with a
/// transient exception before it reaches the store — so nothing of it is applied. A commit may also lose its answer:
/// the store applied it and the caller sees the exception, which the store's contract makes harmless to retry
/// (<see cref="LeadImportStorage.CommitBatchAsync"/>). Look-ups and commits each fail at most <c>maxFailuresInARow</c>
/// times in a row, which the engine's retries (<see cref="LeadImportOptions.StorageRetryCount"/>) always outlast.
/// </summary>
internal sealed class EngineModelChaosStorage : DelegatingStorage
{
    private readonly Lock _lock = new();
    private readonly Random _random;
    private readonly int _maxFailuresInARow;
    private readonly ChaosLeads _leads;
    private int _lookupFailures;
    private int _commitFailures;

    public EngineModelChaosStorage(InMemoryStorage inner, int seed, int maxFailuresInARow)
        : base(inner)
    {
        _random = new Random(seed);
        _maxFailuresInARow = maxFailuresInARow;
        _leads = new ChaosLeads(this, inner.Leads);
    }

    /// <summary>How many calls failed on purpose.</summary>
    public int InjectedFailures { get; private set; }

    public override ILeadStore Leads => _leads;

    public override async ValueTask<BatchCommitResult> CommitBatchAsync(
        string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var (before, fail, after) = Roll(ref _commitFailures);
        bool loseAnswer;
        lock (_lock)
        {
            loseAnswer = fail && _random.Next(2) == 0;
        }

        await Pause(before, cancellationToken);
        if (fail && !loseAnswer)
        {
            throw new TransientStoreException("commit");
        }

        var result = await base.CommitBatchAsync(ou, jobId, changes, checkpoint, cancellationToken);
        await Pause(after, cancellationToken);
        if (loseAnswer)
        {
            throw new TransientStoreException("commit's answer");
        }

        return result;
    }

    private static Task Pause(int milliseconds, CancellationToken cancellationToken) =>
        milliseconds switch
        {
            < 0 => Task.CompletedTask,
            0 => Task.Run(() => { }, cancellationToken),
            _ => Task.Delay(milliseconds, cancellationToken),
        };

    /// <summary>The waits before and after the call (-1: none at all, 0: a hop to the thread pool) and whether it fails.</summary>
    private (int Before, bool Fail, int After) Roll(ref int failuresInARow)
    {
        lock (_lock)
        {
            var fail = failuresInARow < _maxFailuresInARow && _random.Next(3) == 0;
            failuresInARow = fail ? failuresInARow + 1 : 0;
            if (fail)
            {
                InjectedFailures++;
            }

            return (_random.Next(-1, 4), fail, _random.Next(-1, 4));
        }
    }

    private sealed class TransientStoreException(string call) : Exception($"The test store failed the {call} on purpose.");

    /// <summary>The leads, whose look-ups pause and fail as the storage's dice say.</summary>
    private sealed class ChaosLeads(EngineModelChaosStorage storage, ILeadStore inner) : ILeadStore
    {
        public async ValueTask LookupAsync(string ou, IReadOnlyCollection<IdentifierKey> identifiers, IDictionary<IdentifierKey, string> owners, CancellationToken cancellationToken)
        {
            var (before, fail, after) = storage.Roll(ref storage._lookupFailures);
            await Pause(before, cancellationToken);
            if (fail)
            {
                throw new TransientStoreException("look-up");
            }

            await inner.LookupAsync(ou, identifiers, owners, cancellationToken);
            await Pause(after, cancellationToken);
        }

        public ValueTask<Lead?> FindAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken) => inner.FindAsync(ou, identifier, cancellationToken);

        public ValueTask<Page<Lead>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken) => inner.ListAsync(ou, page, limit, cancellationToken);

        public ValueTask<LeadFeedPage> ReadFeedAsync(string ou, LeadFeedPosition after, int limit, CancellationToken cancellationToken) =>
            inner.ReadFeedAsync(ou, after, limit, cancellationToken);
    }
}
