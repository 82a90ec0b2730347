namespace Kenbun.LeadImport.Storage;

/// <summary>How a store judged one of its failures: its class, and a sentence about it for people.</summary>
/// <param name="Kind">What the engine does about it.</param>
/// <param name="Reason">
/// What is wrong with the store, for operators and for a stalled job's <c>stalled_reason</c>, e.g. "The disk holding the
/// database is full." Written by the provider for people: never an exception type or message, never user data.
/// </param>
public readonly record struct StorageFailure(StorageFailureKind Kind, string Reason)
{
    /// <summary>
    /// Whether the store is unavailable because it is out of space (a full disk, a size quota): the HTTP API answers
    /// 507 rather than 503, since waiting alone will not end it. Only an <see cref="StorageFailureKind.Unavailable"/>
    /// failure is out of space.
    /// </summary>
    public bool IsOutOfSpace { get; init; }

    /// <summary>The store is unavailable because it is out of space; see <see cref="IsOutOfSpace"/>.</summary>
    public static StorageFailure OutOfSpace(string reason) => new(StorageFailureKind.Unavailable, reason) { IsOutOfSpace = true };

    /// <summary>The store cannot serve anyone right now; see <see cref="StorageFailureKind.Unavailable"/>.</summary>
    public static StorageFailure Unavailable(string reason) => new(StorageFailureKind.Unavailable, reason);

    /// <summary>The store refuses this batch's data; see <see cref="StorageFailureKind.Batch"/>.</summary>
    public static StorageFailure Batch(string reason) => new(StorageFailureKind.Batch, reason);

    /// <summary>A store invariant is broken; see <see cref="StorageFailureKind.Defect"/>.</summary>
    public static StorageFailure Defect(string reason) => new(StorageFailureKind.Defect, reason);
}
