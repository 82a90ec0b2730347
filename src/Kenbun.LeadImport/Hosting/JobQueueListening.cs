using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.Hosting;

/// <summary>Runs the storage's <see cref="IJobQueueListener"/>s while the host runs, each waking the workers through <see cref="JobQueueSignal"/>.</summary>
internal sealed class JobQueueListening(IEnumerable<IJobQueueListener> listeners, JobQueueSignal jobQueue) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(listeners.Select(listener => listener.ListenAsync(jobQueue.Notify, stoppingToken)));
}
