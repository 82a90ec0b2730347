using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>
/// In-memory storage that is slow and unreliable in a seeded, random way: look-ups and commits wait 0–3 ms before and
/// after reaching the store (so the pipeline's stages finish in varying orders), and a call sometimes fails before it
/// reaches the store — so nothing of it is applied — as <i>unavailable</i> (an outage, which the engine waits out however
/// long) or as a refusal of the <i>batch</i> (which it retries <see cref="LeadImportOptions.BatchRetryCount"/> times).
/// A commit may also lose its answer in an outage: the store applied it and the caller sees an unavailable failure,
/// which the storage's contract makes harmless to retry (<see cref="LeadImportStorage.CommitBatchAsync"/>). Look-ups and
/// commits each fail at most <c>maxFailuresInARow</c> times in a row, and at most <c>maxRefusalsInARow</c> of those
/// refusals without an outage between (an outage gives the batch fresh tries): the batch retries always outlast them, so
/// the outcome must equal the reference's. Its failures are <see cref="SimulatedStorageException"/>s, classified by
/// <see cref="SimulatedFailureClassifier"/>.
/// </summary>
internal sealed class EngineModelChaosStorage : DelegatingStorage
{
    private readonly Lock _lock = new();
    private readonly Random _random;
    private readonly int _maxFailuresInARow;
    private readonly int _maxRefusalsInARow;
    private readonly ChaosLeads _leads;
    private (int Failures, int Refusals) _lookupsInARow;
    private (int Failures, int Refusals) _commitsInARow;

    public EngineModelChaosStorage(InMemoryStorage inner, int seed, int maxFailuresInARow, int maxRefusalsInARow)
        : base(inner)
    {
        _random = new Random(seed);
        _maxFailuresInARow = maxFailuresInARow;
        _maxRefusalsInARow = maxRefusalsInARow;
        _leads = new ChaosLeads(this, inner.Leads);
    }

    /// <summary>How many calls failed on purpose as unavailable.</summary>
    public int InjectedOutages { get; private set; }

    /// <summary>How many calls were refused on purpose as a batch failure.</summary>
    public int InjectedRefusals { get; private set; }

    public override ILeadStore Leads => _leads;

    public override IStorageFailureClassifier FailureClassifier => SimulatedFailureClassifier.Instance;

    public override async ValueTask<BatchCommitResult> CommitBatchAsync(
        string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var (before, failure, after) = Roll(ref _commitsInARow);
        bool loseAnswer;
        lock (_lock)
        {
            loseAnswer = failure == StorageFailureKind.Unavailable && _random.Next(2) == 0;
        }

        await Pause(before, cancellationToken);
        if (failure is { } kind && !loseAnswer)
        {
            throw new SimulatedStorageException(kind, "commit");
        }

        var result = await base.CommitBatchAsync(ou, jobId, changes, checkpoint, cancellationToken);
        await Pause(after, cancellationToken);
        if (loseAnswer)
        {
            throw new SimulatedStorageException(StorageFailureKind.Unavailable, "commit's answer");
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

    /// <summary>The waits before and after the call (-1: none at all, 0: a hop to the thread pool) and how it fails, if it does.</summary>
    private (int Before, StorageFailureKind? Failure, int After) Roll(ref (int Failures, int Refusals) inARow)
    {
        lock (_lock)
        {
            StorageFailureKind? failure = null;
            if (inARow.Failures < _maxFailuresInARow && _random.Next(3) == 0)
            {
                failure = inARow.Refusals < _maxRefusalsInARow && _random.Next(2) == 0 ? StorageFailureKind.Batch : StorageFailureKind.Unavailable;
            }

            inARow = failure switch
            {
                null => (0, 0),
                StorageFailureKind.Batch => (inARow.Failures + 1, inARow.Refusals + 1),
                _ => (inARow.Failures + 1, 0),
            };
            InjectedOutages += failure == StorageFailureKind.Unavailable ? 1 : 0;
            InjectedRefusals += failure == StorageFailureKind.Batch ? 1 : 0;
            return (_random.Next(-1, 4), failure, _random.Next(-1, 4));
        }
    }

    /// <summary>The leads, whose look-ups pause and fail as the storage's dice say.</summary>
    private sealed class ChaosLeads(EngineModelChaosStorage storage, ILeadStore inner) : ILeadStore
    {
        public async ValueTask LookupAsync(string ou, IReadOnlyCollection<IdentifierKey> identifiers, IDictionary<IdentifierKey, string> owners, CancellationToken cancellationToken)
        {
            var (before, failure, after) = storage.Roll(ref storage._lookupsInARow);
            await Pause(before, cancellationToken);
            if (failure is { } kind)
            {
                throw new SimulatedStorageException(kind, "look-up");
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
