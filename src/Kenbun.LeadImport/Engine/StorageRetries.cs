using Kenbun.LeadImport.Health;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Kenbun.LeadImport.Engine;

/// <summary>
/// Runs a job's storage calls under the three classes of CONTRACT §6, as the store's classifier judges each failure:
/// <list type="bullet">
/// <item><b>Unavailable</b>: retried without end — exponential back-off with jitter from
/// <see cref="LeadImportOptions.StorageRetryDelay"/>, capped at <see cref="LeadImportOptions.StorageRetryMaxDelay"/> —
/// until the call goes through or the run is cancelled (its host stops, or its lease is lost). Meanwhile the job is
/// stalled (<see cref="JobStallTracker"/>).</item>
/// <item><b>Batch</b> (look-ups and commits only): retried <see cref="LeadImportOptions.BatchRetryCount"/> times, then
/// <see cref="StorageBatchRefusedException"/>: the caller fails the batch's rows with <c>Server error</c>.</item>
/// <item><b>Defect</b>, or a batch refusal of any other call: not retried; <see cref="JobFailedException"/> with a reason for people.</item>
/// </list>
/// Two Polly retry strategies, the outage one outside the batch one: an outage between two refusals gives the batch a
/// fresh count, since the refusals may have been the outage beginning. Waits are timed by the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class StorageRetries
{
    private static readonly ResiliencePropertyKey<JobStallTracker> StallKey = new("Kenbun.LeadImport.Stall");
    private static readonly ResiliencePropertyKey<bool> WaitedKey = new("Kenbun.LeadImport.Waited");

    private readonly StorageHealth _health;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _batchCalls;
    private readonly ResiliencePipeline _otherCalls;

    public StorageRetries(LeadImportOptions options, StorageHealth health, TimeProvider timeProvider, ILogger logger)
    {
        _health = health;
        _timeProvider = timeProvider;
        _logger = logger;
        _batchCalls = Build(options, batchRetries: options.BatchRetryCount);
        _otherCalls = Build(options, batchRetries: 0);
    }

    /// <summary>
    /// Calls <paramref name="call"/> until it goes through, as described above. <paramref name="batchCall"/>: whether a
    /// refusal of the batch's data is retried and then reported as <see cref="StorageBatchRefusedException"/>.
    /// <paramref name="cancellationToken"/> ends the waits and is passed to the call.
    /// </summary>
    public async ValueTask<T> ExecuteAsync<T, TState>(
        string what, bool batchCall, JobStallTracker stall, TState state, Func<TState, CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(what, cancellationToken);
        context.Properties.Set(StallKey, stall);
        T result;
        try
        {
            result = await (batchCall ? _batchCalls : _otherCalls).ExecuteAsync(
                static (context, arguments) => arguments.call(arguments.state, context.CancellationToken), context, (call, state)).ConfigureAwait(false);
            if (context.Properties.TryGetValue(WaitedKey, out _))
            {
                LogAvailableAgain(what);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Unretried(what, batchCall, e, cancellationToken);
        }
        finally
        {
            if (context.Properties.TryGetValue(WaitedKey, out _))
            {
                stall.CallEnded();
            }

            ResilienceContextPool.Shared.Return(context);
        }

        await stall.RecordAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private ResiliencePipeline Build(LeadImportOptions options, int batchRetries)
    {
        var builder = new ResiliencePipelineBuilder { Name = "Kenbun.LeadImport.Storage", TimeProvider = _timeProvider };
        builder.AddRetry(Retry(options, StorageFailureKind.Unavailable, int.MaxValue, OnUnavailableAsync));
        if (batchRetries > 0)
        {
            builder.AddRetry(Retry(options, StorageFailureKind.Batch, batchRetries, OnBatchRefused));
        }

        return builder.Build();
    }

    private RetryStrategyOptions Retry(LeadImportOptions options, StorageFailureKind kind, int attempts, Func<OnRetryArguments<object>, ValueTask> onRetry) => new()
    {
        Name = kind.ToString(),
        ShouldHandle = arguments => ValueTask.FromResult(
            arguments.Outcome.Exception is { } e && !arguments.Context.CancellationToken.IsCancellationRequested && _health.Classify(e).Kind == kind),
        MaxRetryAttempts = attempts,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.StorageRetryDelay,
        MaxDelay = options.StorageRetryMaxDelay,
        OnRetry = onRetry,
    };

    private async ValueTask OnUnavailableAsync(OnRetryArguments<object> arguments)
    {
        var context = arguments.Context;
        var stall = context.Properties.GetValue(StallKey, null!);
        var failure = _health.Classify(arguments.Outcome.Exception!);
        var first = !context.Properties.TryGetValue(WaitedKey, out _);
        if (first)
        {
            context.Properties.Set(WaitedKey, true);
            LogStalled(context.OperationKey!, failure.Reason);
        }

        LogWaiting(context.OperationKey!, arguments.AttemptNumber + 1, arguments.RetryDelay);
        stall.CallWaits(failure, first);
        await stall.RecordAsync(context.CancellationToken).ConfigureAwait(false);
    }

    private ValueTask OnBatchRefused(OnRetryArguments<object> arguments)
    {
        LogBatchRetry(arguments.Context.OperationKey!, arguments.AttemptNumber + 1, _health.Classify(arguments.Outcome.Exception!).Reason);
        return ValueTask.CompletedTask;
    }

    /// <summary>What a call that failed for good throws: the run is stopping, the batch is refused, or the job cannot go on.</summary>
    private Exception Unretried(string what, bool batchCall, Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // The run stops anyway (host stopping, lease lost): whatever failed is met again when the job resumes.
            return new OperationCanceledException("The run stopped while a storage call failed.", exception, cancellationToken);
        }

        var failure = _health.Classify(exception);
        if (batchCall && failure.Kind == StorageFailureKind.Batch)
        {
            LogBatchRefused(what, failure.Reason);
            return new StorageBatchRefusedException(failure.Reason, exception);
        }

        LogDefect(what, failure.Kind.ToString(), failure.Reason, exception);
        return new JobFailedException($"The import stopped on a storage failure that retrying cannot fix: {failure.Reason}", exception);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage is unavailable for '{What}': {Reason} Waiting for it; nothing fails meanwhile")]
    private partial void LogStalled(string what, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Storage call '{What}' failed as unavailable (attempt {Attempt}); next try in {Delay}")]
    private partial void LogWaiting(string what, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage is available again for '{What}'; the job goes on")]
    private partial void LogAvailableAgain(string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage refused '{What}' for its batch's data (attempt {Attempt}): {Reason} Retrying")]
    private partial void LogBatchRetry(string what, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage refused '{What}' for its batch's data beyond the retries: {Reason} The batch's rows fail")]
    private partial void LogBatchRefused(string what, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage call '{What}' failed ({Kind}): {Reason} The job fails")]
    private partial void LogDefect(string what, string kind, string reason, Exception exception);
}

/// <summary>The store refused a batch's look-up or commit beyond <see cref="LeadImportOptions.BatchRetryCount"/>: its rows fail with <c>Server error</c>.</summary>
internal sealed class StorageBatchRefusedException(string reason, Exception inner) : Exception(reason, inner);
