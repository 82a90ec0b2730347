using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// Holds one connection that <c>LISTEN</c>s on the schema's channel, where every instance's new (or given back) job is
/// announced with <c>pg_notify</c> as it commits, so idle workers on every instance look at the queue at once. When
/// the connection fails it reconnects, waiting longer each time up to <see cref="MaxRetryDelay"/>, and wakes the
/// workers once it is back, since a job may have been announced meanwhile.
/// </summary>
internal sealed partial class PostgreSqlJobQueueListener(PostgreSqlDatabase database, TimeProvider timeProvider, ILogger<PostgreSqlJobQueueListener> logger)
    : IJobQueueListener
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    public async Task ListenAsync(Action jobQueued, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(jobQueued);
        var retryDelay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var connection = await database.OpenAsync(stoppingToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, _) => jobQueued();
                    await connection.ExecuteAsync($"LISTEN \"{database.Options.Channel}\"", stoppingToken).ConfigureAwait(false);
                    retryDelay = FirstRetryDelay;
                    jobQueued();
                    while (true)
                    {
                        await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                LogListenFailed(e, retryDelay);
                try
                {
                    await Task.Delay(retryDelay, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lead import: listening for new jobs failed; polling covers it, listening again in {RetryDelay}")]
    private partial void LogListenFailed(Exception exception, TimeSpan retryDelay);
}
