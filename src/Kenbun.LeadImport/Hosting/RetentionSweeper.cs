using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport.Hosting;

/// <summary>
/// When the host starts and then every <see cref="LeadImportOptions.RetentionSweepInterval"/>, deletes expired previews
/// (keeping those a queued or running dry run reads), uploads abandoned half-way (their process died), and the jobs that
/// finished more than <see cref="LeadImportOptions.JobRetention"/> ago (their error values and failed rows are personal data).
/// </summary>
internal sealed partial class RetentionSweeper(
    LeadImportStorage storage,
    IOptions<LeadImportOptions> options,
    TimeProvider timeProvider,
    ILogger<RetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, timeProvider);
        try
        {
            await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
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
            var swept = await storage.SweepAsync(timeProvider.GetUtcNow() - options.Value.JobRetention, cancellationToken).ConfigureAwait(false);
            if (swept.DeletedFiles + swept.PurgedJobs > 0)
            {
                LogSwept(swept.DeletedFiles, swept.PurgedJobs);
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
