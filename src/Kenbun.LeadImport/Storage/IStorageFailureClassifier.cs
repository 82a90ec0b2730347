namespace Kenbun.LeadImport.Storage;

/// <summary>
/// Tells which class of failure (<see cref="StorageFailureKind"/>) an exception thrown by a store is: only the provider
/// knows its own exceptions. A provider registers one with its stores (<c>UseSqlite</c> registers the SQLite one; a
/// host that registers none gets <see cref="DefaultStorageFailureClassifier"/>), and usually hands what it does not
/// recognise to <see cref="DefaultStorageFailureClassifier.Instance"/>. The engine asks for every failed look-up,
/// commit and file call, and the job worker for its own calls, so the health check sees outages between jobs too.
/// </summary>
public interface IStorageFailureClassifier
{
    /// <summary>
    /// Classifies an exception a store call threw. Must be cheap and must not throw (an exception here counts as a
    /// <see cref="StorageFailureKind.Defect"/>). It never sees the cancellation the engine asked for itself.
    /// </summary>
    StorageFailure Classify(Exception exception);
}
