namespace Kenbun.LeadImport.Storage;

/// <summary>
/// The three classes of storage failure (CONTRACT §6). A store says which class each of its failures belongs to through
/// its <see cref="IStorageFailureClassifier"/>; the engine acts on the class alone. The values are fixed: they never change.
/// </summary>
public enum StorageFailureKind
{
    /// <summary>
    /// A store invariant is broken — a bug, a damaged database, a schema the code does not expect. Retrying would only
    /// repeat it and failing rows would hide it: the job ends <c>failed</c> at once with a <c>failure_reason</c>. The
    /// zero value, so a failure nobody classified is never retried in silence.
    /// </summary>
    Defect = 0,

    /// <summary>
    /// The store cannot serve anyone right now — connection refused or lost, database restarting, disk full, a lock
    /// held past its timeout — while nothing about the call itself is wrong. Nothing fails: the job stalls and retries
    /// with capped, jittered back-off for as long as it holds its lease, then goes on exactly where it was.
    /// </summary>
    Unavailable = 1,

    /// <summary>
    /// The store refuses this batch's data while it is otherwise fine (a value past the store's size limit, say).
    /// Retried a few times (<c>LeadImportOptions.BatchRetryCount</c>); then the batch's rows fail with
    /// <c>Server error</c> and the import goes on.
    /// </summary>
    Batch = 2,
}
