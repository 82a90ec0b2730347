namespace Kenbun.LeadImport.Storage;

/// <summary>
/// Hears of jobs queued (or given back) by other processes that share the storage, so this process's idle workers
/// start them at once instead of at their next poll (<see cref="LeadImportOptions.WorkerPollInterval"/>, which stays the
/// fallback). A provider whose <see cref="LeadImportStorage.Scope"/> reaches beyond one process may register one
/// (PostgreSQL's listens with <c>LISTEN/NOTIFY</c>); the core runs every registered listener while the host runs.
/// </summary>
public interface IJobQueueListener
{
    /// <summary>
    /// Listens until <paramref name="stoppingToken"/> is cancelled, calling <paramref name="jobQueued"/> whenever a job
    /// may be waiting (calling it too often costs one look at the queue). Copes with its own failures — reconnecting,
    /// and calling <paramref name="jobQueued"/> once it is back, since it may have missed a job — and returns only
    /// when stopped.
    /// </summary>
    Task ListenAsync(Action jobQueued, CancellationToken stoppingToken);
}
