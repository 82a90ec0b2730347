namespace Kenbun.LeadImport.Hosting;

/// <summary>Wakes an idle worker when this process queues a job, so it need not wait for its next poll.</summary>
internal sealed class JobQueueSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every job queued meanwhile.
        }
    }

    /// <summary>Waits until <see cref="Notify"/> is called or <paramref name="timeout"/> passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
