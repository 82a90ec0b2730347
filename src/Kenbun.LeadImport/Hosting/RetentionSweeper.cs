using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport.Hosting;

/// <summary>
/// Every <see cref="LeadImportOptions.FileSweepInterval"/>, deletes expired previews (keeping those a queued or running
/// dry run reads) and the jobs that finished more
/// than <see cref="LeadImportOptions.JobRetention"/> ago (their error values and failed rows are personal data).
/// </summary>
internal sealed partial class RetentionSweeper(
    IImportFileStore files,
    IJobStore jobs,
    IOptions<LeadImportOptions> options,
    TimeProvider timeProvider,
    ILogger<RetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FileSweepInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var inUse = await jobs.ListFilesInUseAsync(cancellationToken).ConfigureAwait(false);
            var deletedFiles = await files.DeleteExpiredAsync(inUse, cancellationToken).ConfigureAwait(false);
            var purgedJobs = await jobs.PurgeFinishedAsync(timeProvider.GetUtcNow() - options.Value.JobRetention, cancellationToken).ConfigureAwait(false);
            if (deletedFiles + purgedJobs > 0)
            {
                LogSwept(deletedFiles, purgedJobs);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSweepFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Files} expired import files and {Jobs} jobs past retention")]
    private partial void LogSwept(int files, int jobs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The retention sweep failed; the next sweep tries again")]
    private partial void LogSweepFailed(Exception exception);
}
