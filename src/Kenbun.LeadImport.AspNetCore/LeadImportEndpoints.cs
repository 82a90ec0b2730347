using System.Globalization;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>The request handlers behind <see cref="Microsoft.AspNetCore.Builder.LeadImportEndpointRouteBuilderExtensions.MapLeadImport"/>.</summary>
internal static partial class LeadImportEndpoints
{
    /// <summary>Room for the multipart framing around the file, on top of the file limit.</summary>
    internal const long MultipartOverhead = 64 * 1024;

    private const int DefaultPageSize = 25;
    private const string ProblemContentType = "application/problem+json";

    public static async Task<IResult> PreviewAsync(HttpContext context, ILeadImportService import, IOptions<LeadImportOptions> options, ILoggerFactory loggers)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOu(context);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = options.Value.MaxFileBytes + MultipartOverhead;
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Problem(StatusCodes.Status400BadRequest, "No file",
                "The request has no file part. Send the CSV file as multipart/form-data, in a part named \"file\".");
        }

        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body);
            while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition() || !string.Equals(disposition.Name.Value, "file", StringComparison.Ordinal))
                {
                    continue;
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                if (!UploadRules.MayBeCsv(section.ContentType, fileName))
                {
                    return Problem(StatusCodes.Status415UnsupportedMediaType, "The file must be CSV",
                        $"\"{fileName}\" ({section.ContentType}) is not a CSV file. Export the data as CSV (.csv, .tsv or .txt) and upload that.");
                }

                var preview = await import.PreviewAsync(ou, fileName, section.Body, context.RequestAborted);
                return TypedResults.Json(PreviewResponse.From(preview), LeadImportJsonContext.Web.PreviewResponse);
            }

            return Problem(StatusCodes.Status400BadRequest, "No file", "The request has no file. Send the CSV file in a multipart part named \"file\".");
        }
        catch (LeadImportException e)
        {
            return FromException(context, e);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return FromException(context, new FileTooLargeException(options.Value.MaxFileBytes));
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client went away or its body ended early: nothing was kept, and it is not the server's error.
            LogUploadAborted(loggers.CreateLogger(typeof(LeadImportEndpoints)), e.GetType().Name);
            return context.RequestAborted.IsCancellationRequested
                ? Results.Empty
                : Problem(StatusCodes.Status400BadRequest, "Incomplete upload", "The upload ended before the file was complete. Send it again.");
        }
        catch (InvalidDataException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "Unreadable upload", "The multipart body could not be read: " + e.Message);
        }
    }

    public static async Task<IResult> StartAsync(HttpContext context, ILeadImportService import, IOptions<LeadImportHttpOptions> options, string prefix)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOu(context);
        }

        if (!context.Request.HasJsonContentType())
        {
            return ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = ["Send the request as JSON with Content-Type: application/json."] },
                "The request body must be JSON",
                "The start request must be a JSON body.");
        }

        var maxBytes = options.Value.MaxStartRequestBytes;
        if (await StartBodyReader.ReadAsync(context.Request, maxBytes, context.RequestAborted) is not { } content)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Start request too large",
                string.Create(CultureInfo.InvariantCulture, $"The start request is larger than the limit of {maxBytes:N0} bytes. Map fewer columns."));
        }

        if (StartBodyReader.Parse(content, out var bodyErrors) is not { } body)
        {
            return ValidationProblem(bodyErrors, "The request body is not valid", "The body could not be read as a start request; see errors.");
        }

        try
        {
            return await import.StartAsync(ou, body.ToRequest(), context.RequestAborted) switch
            {
                StartImportResult.Started started => TypedResults.Json(
                    new StartResponse(
                        started.Job.JobId,
                        started.Job.Status.ToApiName(),
                        "Import job started",
                        started.Job.FileName,
                        started.Job.TotalRows,
                        [.. started.IgnoredMappings.Select(m => new IgnoredMappingResponse(m.Column, m.Target, m.Reason))]),
                    LeadImportJsonContext.Web.StartResponse,
                    statusCode: StatusCodes.Status202Accepted)
                    .WithLocation(JobLocation(prefix, started.Job.JobId)),
                StartImportResult.Invalid invalid => ValidationProblem(
                    invalid.Errors, "The start request is not valid", "Fix every problem listed in errors, then start again."),
                StartImportResult.AlreadyStarted existing => Problem(StatusCodes.Status409Conflict, "The file already started an import",
                    $"This file already started job {existing.Job.JobId}; a file is imported once. Upload it again to import it again.",
                    JobLocation(prefix, existing.Job.JobId)),
                _ => Problem(StatusCodes.Status404NotFound, "File not found",
                    "No preview with this file_id exists: it never existed, belongs to another OU, or expired (previews last an hour). Upload the file again."),
            };
        }
        catch (LeadImportException e)
        {
            return FromException(context, e);
        }
    }

    public static async Task<IResult> ListJobsAsync(HttpContext context, ILeadImportService import)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOu(context);
        }

        var paging = ReadPaging(context);
        if (paging.Problem is { } pagingProblem)
        {
            return pagingProblem;
        }

        var page = await import.ListJobsAsync(ou, paging.Page, paging.Limit, context.RequestAborted);
        return TypedResults.Json(
            new JobListResponse([.. page.Items.Select(JobSummaryResponse.From)], page.Total, page.PageNumber, page.Limit),
            LeadImportJsonContext.Web.JobListResponse);
    }

    public static async Task<IResult> GetJobAsync(HttpContext context, ILeadImportService import, string jobId)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOu(context);
        }

        return await import.GetJobAsync(ou, jobId, context.RequestAborted) is { } job
            ? TypedResults.Json(JobDetailResponse.From(job), LeadImportJsonContext.Web.JobDetailResponse)
            : JobNotFound();
    }

    public static async Task<IResult> CancelJobAsync(HttpContext context, ILeadImportService import, string jobId)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOu(context);
        }

        var outcome = await import.CancelJobAsync(ou, jobId, context.RequestAborted);
        return outcome.Status switch
        {
            CancelStatus.Cancelled => TypedResults.Json(JobDetailResponse.From(outcome.Job!), LeadImportJsonContext.Web.JobDetailResponse),
            CancelStatus.Requested => TypedResults.Json(JobDetailResponse.From(outcome.Job!), LeadImportJsonContext.Web.JobDetailResponse, statusCode: StatusCodes.Status202Accepted),
            CancelStatus.AlreadyFinished => Problem(StatusCodes.Status409Conflict, "The job has finished",
                $"Job {jobId} is already {outcome.Job!.Status.ToApiName()}; only queued or running jobs can be cancelled."),
            _ => JobNotFound(),
        };
    }

    public static async Task<IResult> DeleteJobAsync(HttpContext context, ILeadImportService import, string jobId)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOu(context);
        }

        return await import.DeleteJobAsync(ou, jobId, context.RequestAborted) switch
        {
            DeleteOutcome.Deleted => TypedResults.NoContent(),
            DeleteOutcome.NotFinished => Problem(StatusCodes.Status409Conflict, "The job has not finished",
                $"Job {jobId} is queued or running. Cancel it first, then delete it once it has stopped."),
            _ => JobNotFound(),
        };
    }

    public static async Task<IResult> ListErrorsAsync(HttpContext context, ILeadImportService import, string jobId)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOu(context);
        }

        var paging = ReadPaging(context);
        if (paging.Problem is { } pagingProblem)
        {
            return pagingProblem;
        }

        return await import.ListErrorsAsync(ou, jobId, paging.Page, paging.Limit, context.RequestAborted) is { } page
            ? TypedResults.Json(
                new ErrorPageResponse([.. page.Items.Select(RowErrorResponse.From)], page.Total, page.PageNumber, page.Limit),
                LeadImportJsonContext.Web.ErrorPageResponse)
            : JobNotFound();
    }

    public static async Task<IResult> FailedRowsAsync(HttpContext context, ILeadImportService import, string jobId)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOu(context);
        }

        if (await import.GetJobAsync(ou, jobId, context.RequestAborted) is not { } job)
        {
            return JobNotFound();
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{job.JobId}-failed-rows.csv\"";
        await FailedRowsCsv.WriteAsync(context.Response.Body, job, () => import.ReadAllErrorsAsync(ou, jobId, context.RequestAborted), context.RequestAborted);
        return Results.Empty;
    }

    private static async ValueTask<string?> ResolveOuAsync(HttpContext context)
    {
        var resolver = context.RequestServices.GetService<ILeadImportOuResolver>()
            ?? new ClaimOuResolver(context.RequestServices.GetRequiredService<IOptions<LeadImportHttpOptions>>());
        return await resolver.ResolveAsync(context);
    }

    /// <summary>No OU: 403 for an authenticated caller, 401 for an anonymous one.</summary>
    private static IResult NoOu(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
            ? Problem(StatusCodes.Status403Forbidden, "No OU", "The caller is authenticated but belongs to no OU, so it can import nothing.")
            : Problem(StatusCodes.Status401Unauthorized, "Not authenticated", "Authenticate to use the lead import.");

    /// <summary>Reads <c>page</c> and <c>limit</c>; a wrong one is named alone, with its rule.</summary>
    private static (int Page, int Limit, IResult? Problem) ReadPaging(HttpContext context)
    {
        var query = context.Request.Query;
        var page = 1;
        var limit = DefaultPageSize;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (query.TryGetValue("page", out var p) && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            errors["page"] = ["page must be a whole number, 1 or more (default 1)."];
        }

        if (query.TryGetValue("limit", out var l)
            && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > LeadImportOptions.MaxPageSize))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {LeadImportOptions.MaxPageSize} (default {DefaultPageSize})."];
        }

        return errors.Count == 0
            ? (page, limit, null)
            : (0, 0, ValidationProblem(errors, "Invalid paging", $"{string.Join(" and ", errors.Keys)} must be whole numbers within their ranges."));
    }

    private static IResult JobNotFound() =>
        Problem(StatusCodes.Status404NotFound, "Job not found", "No job with this id exists in your OU.");

    private static IResult FromException(HttpContext context, LeadImportException exception)
    {
        switch (exception)
        {
            case InvalidCsvFileException csv:
                return Problem(StatusCodes.Status400BadRequest, "Invalid CSV file", csv.Message, extensions: csv.Line is { } line ? new() { ["line"] = line } : null);
            case FileTooLargeException:
                return Problem(StatusCodes.Status413PayloadTooLarge, "File too large", exception.Message);
            case UnsupportedFileTypeException:
                return Problem(StatusCodes.Status415UnsupportedMediaType, "The file must be CSV", exception.Message);
            case QuotaExceededException quota:
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(quota.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problem(StatusCodes.Status429TooManyRequests, "Quota reached", quota.Message);
            default:
                return Problem(StatusCodes.Status400BadRequest, "Bad request", exception.Message);
        }
    }

    private static string JobLocation(string prefix, string jobId) => $"{prefix.TrimEnd('/')}/jobs/{Uri.EscapeDataString(jobId)}";

    /// <summary>A problem details answer, written with the endpoints' own JSON settings (CONTRACT §7).</summary>
    private static IResult Problem(int status, string title, string detail, string? location = null, Dictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? [])
        {
            problem.Extensions[key] = value;
        }

        var result = TypedResults.Json(problem, LeadImportJsonContext.Web.ProblemDetails, ProblemContentType, status);
        return location is null ? result : result.WithLocation(location);
    }

    /// <summary>A 400 with <c>errors</c> keyed by request path.</summary>
    private static IResult ValidationProblem(IEnumerable<KeyValuePair<string, string[]>> errors, string title, string detail) =>
        TypedResults.Json(
            new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Title = title, Detail = detail },
            LeadImportJsonContext.Web.HttpValidationProblemDetails,
            ProblemContentType,
            StatusCodes.Status400BadRequest);

    private static IResult WithLocation(this IResult result, string location) => new LocatedResult(result, location);

    [LoggerMessage(Level = LogLevel.Information, Message = "A client aborted its upload ({Reason}); nothing was kept")]
    private static partial void LogUploadAborted(ILogger logger, string reason);

    /// <summary>Adds a <c>Location</c> header to another result.</summary>
    private sealed class LocatedResult(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
