namespace Kenbun.LeadImport.Storage;

/// <summary>How a store judged one of its failures: its class, and a sentence about it for people.</summary>
/// <param name="Kind">What the engine does about it.</param>
/// <param name="Reason">
/// What is wrong with the store, for operators and for a stalled job's <c>stalled_reason</c>, e.g. "The disk holding the
/// database is full." Written by the provider for people: never an exception type or message, never user data.
/// </param>
public readonly record struct StorageFailure(StorageFailureKind Kind, string Reason)
{
    /// <summary>The store cannot serve anyone right now; see <see cref="StorageFailureKind.Unavailable"/>.</summary>
    public static StorageFailure Unavailable(string reason) => new(StorageFailureKind.Unavailable, reason);

    /// <summary>The store refuses this batch's data; see <see cref="StorageFailureKind.Batch"/>.</summary>
    public static StorageFailure Batch(string reason) => new(StorageFailureKind.Batch, reason);

    /// <summary>A store invariant is broken; see <see cref="StorageFailureKind.Defect"/>.</summary>
    public static StorageFailure Defect(string reason) => new(StorageFailureKind.Defect, reason);
}
