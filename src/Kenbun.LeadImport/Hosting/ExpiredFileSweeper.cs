using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport.Hosting;

/// <summary>Deletes expired previews from the file store every <see cref="LeadImportOptions.FileSweepInterval"/>.</summary>
internal sealed partial class ExpiredFileSweeper(
    IImportFileStore files,
    IOptions<LeadImportOptions> options,
    TimeProvider timeProvider,
    ILogger<ExpiredFileSweeper> logger) : BackgroundService
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
            var deleted = await files.DeleteExpiredAsync(cancellationToken).ConfigureAwait(false);
            if (deleted > 0)
            {
                LogSwept(deleted);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSweepFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Count} expired import files")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired import files failed; the next sweep tries again")]
    private partial void LogSweepFailed(Exception exception);
}
