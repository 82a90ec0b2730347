using Kenbun.LeadImport.AspNetCore.HttpResults;
using Kenbun.LeadImport.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Answers, on every endpoint, what escapes a handler in the library's own terms rather than the host's exception page
/// (which in Development echoes the request's headers, bearer token included): a request Kestrel refused to read
/// (<see cref="BadHttpRequestException"/>) is a 413 or 400 problem; a client that went away gets nothing; a storage failure
/// is what the store's classifier says (CONTRACT §6): 503 with <c>Retry-After</c> while unavailable, 507 when out of
/// space, otherwise a 500 problem without the exception, which is logged. Every answer that a limit refused is counted.
/// </summary>
internal sealed partial class RequestFailureFilter(LeadImportStorage storage, LeadImportHttpMetrics metrics, ILogger<RequestFailureFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await AnswerAsync(context, next).ConfigureAwait(false);
        if ((result is INestedHttpResult nested ? nested.Result : result) is ProblemResult { StatusCode: 408 or 413 or 429 } refused)
        {
            metrics.Refused(refused.StatusCode);
        }

        return result;
    }

    private async ValueTask<object?> AnswerAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var aborted = context.HttpContext.RequestAborted;
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return LimitProblem.TooLarge("Request too large", "The request is larger than the server accepts. Send less at once.");
        }
        catch (Exception e) when (aborted.IsCancellationRequested && e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            return TypedResults.Empty; // the client went away: nobody reads an answer
        }
        catch (BadHttpRequestException e)
        {
            LogUnreadableRequest(logger, e.StatusCode);
            return new BadRequestProblem("Unreadable request", "The request could not be read: it ended early or broke HTTP's rules. Send it again.");
        }
        catch (Exception e)
        {
            var failure = storage.ClassifyFailure(e);
            if (failure.Kind == StorageFailureKind.Unavailable)
            {
                LogStorageUnavailable(logger, failure.Reason);
                return failure.IsOutOfSpace ? StorageProblem.OutOfSpace() : StorageProblem.Unavailable();
            }

            LogFailed(logger, e);
            return new ServerErrorProblem();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A request could not be read (status {StatusCode}); it was answered with a problem")]
    private static partial void LogUnreadableRequest(ILogger logger, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request met unavailable storage: {Reason}")]
    private static partial void LogStorageUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A lead import request failed on the server's side")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
