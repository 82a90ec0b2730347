using System.Globalization;
using System.Security.Claims;
using Kenbun.LeadImport.AspNetCore.HttpResults;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Preview;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// The request handlers behind <see cref="Microsoft.AspNetCore.Builder.LeadImportEndpointRouteBuilderExtensions.MapLeadImport"/>.
/// Each returns a <c>Results&lt;…&gt;</c> union of its outcomes, which is also what OpenAPI shows of it.
/// </summary>
internal static partial class LeadImportEndpoints
{
    /// <summary>Room for the multipart framing around the file, on top of the file limit.</summary>
    internal const long MultipartOverhead = 64 * 1024;

    /// <summary>
    /// How much of the body the multipart reader buffers: a section's reads return at most this much, so at the
    /// reader's default (4 KB) a 100 MB upload is inspected and stored in 25,000 pieces; at 64 KB in 1,600.
    /// </summary>
    private const int MultipartBufferSize = 64 * 1024;

    public static async Task<Results<JsonOk<PreviewResponse>, NoOuProblem, BadRequestProblem, UploadLimitProblem, UnsupportedMediaTypeProblem, EmptyHttpResult>> PreviewAsync(
        HttpContext context, ILeadImportService import, IOptions<LeadImportOptions> options, ILoggerFactory loggers)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = options.Value.MaxFileBytes + MultipartOverhead;
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return new BadRequestProblem("No file", "The request has no file part. Send the CSV file as multipart/form-data, in a part named \"file\".");
        }

        try
        {
            var reader = new MultipartReader(boundary, new RequestBodyStream(context.Request.BodyReader), MultipartBufferSize);
            while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition() || !string.Equals(disposition.Name.Value, "file", StringComparison.Ordinal))
                {
                    continue;
                }

                var fileName = UploadRules.FileNameOf(disposition);
                if (!UploadRules.MayBeCsv(section.ContentType, fileName))
                {
                    return new UnsupportedMediaTypeProblem(
                        $"\"{UploadFileNames.ToDisplayText(fileName)}\" ({UploadRules.EchoContentType(section.ContentType)}) is not a CSV file. Export the data as CSV (.csv, .tsv or .txt) and upload that.");
                }

                var preview = await import.PreviewAsync(ou, fileName, section.Body, context.RequestAborted);
                return new JsonOk<PreviewResponse>(PreviewResponse.From(preview), LeadImportJsonContext.Web.PreviewResponse);
            }

            return new BadRequestProblem("No file", "The request has no file. Send the CSV file in a multipart part named \"file\".");
        }
        catch (InvalidCsvFileException e)
        {
            return new BadRequestProblem("Invalid CSV file", e.Message, e.Line is { } line ? [new("line", line)] : null);
        }
        catch (FileTooLargeException e)
        {
            return FileTooLarge(e);
        }
        catch (UnsupportedFileTypeException e)
        {
            return new UnsupportedMediaTypeProblem(e.Message);
        }
        catch (QuotaExceededException e)
        {
            return UploadLimitProblem.QuotaReached(e);
        }
        catch (UploadTooSlowException e)
        {
            return UploadLimitProblem.TooSlow(e);
        }
        catch (LeadImportException e)
        {
            return new BadRequestProblem("Bad request", e.Message);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return FileTooLarge(new FileTooLargeException(options.Value.MaxFileBytes));
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client went away or its body ended early: nothing was kept, and it is not the server's error.
            LogUploadAborted(loggers.CreateLogger(typeof(LeadImportEndpoints)), e.GetType().Name);
            return context.RequestAborted.IsCancellationRequested
                ? TypedResults.Empty
                : new BadRequestProblem("Incomplete upload", "The upload ended before the file was complete. Send it again.");
        }
        catch (InvalidDataException e)
        {
            return new BadRequestProblem("Unreadable upload", "The multipart body could not be read: " + e.Message);
        }
    }

    public static async Task<Results<JsonAccepted<StartResponse>, NoOuProblem, InvalidRequestProblem, NotFoundProblem, ConflictProblem, LimitProblem>> StartAsync(
        HttpContext context, ILeadImportService import, IOptions<LeadImportHttpOptions> options, IOptions<LeadImportOptions> importOptions, JobLinks jobs)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        if (!context.Request.HasJsonContentType())
        {
            return InvalidRequestProblem.NotJson("The start request");
        }

        var maxBytes = options.Value.MaxStartRequestBytes;
        if (await JsonBody.ReadAsync(context.Request, maxBytes, context.RequestAborted) is not { } content)
        {
            return LimitProblem.TooLarge("Start request too large",
                string.Create(CultureInfo.InvariantCulture, $"The start request is larger than the limit of {maxBytes:N0} bytes. Map fewer columns."));
        }

        if (StartBodyReader.Parse(content, out var bodyErrors) is not { } body)
        {
            return new InvalidRequestProblem(bodyErrors, "The request body is not valid", "The body could not be read as a start request; see errors.");
        }

        try
        {
            return await import.StartAsync(ou, body.ToRequest() with { CreatedBy = StartedBy(context, options.Value) }, context.RequestAborted) switch
            {
                StartImportResult.Started started => new JsonAccepted<StartResponse>(
                    new StartResponse(
                        started.Job.JobId,
                        started.Job.Status.ToApiName(),
                        "Import job started",
                        started.Job.FileName,
                        started.Job.TotalRows,
                        [.. started.IgnoredMappings.Select(m => new IgnoredMappingResponse(m.Column, m.Target, m.Reason))]),
                    LeadImportJsonContext.Web.StartResponse,
                    jobs.PathTo(context, started.Job.JobId)),
                StartImportResult.Invalid invalid => new InvalidRequestProblem(
                    invalid.Errors, "The start request is not valid", "Fix every problem listed in errors, then start again."),
                StartImportResult.AlreadyStarted existing => new ConflictProblem(
                    "The file already started an import",
                    $"This file already started job {existing.Job.JobId}; a file is imported once. Upload it again to import it again.",
                    jobs.PathTo(context, existing.Job.JobId)),
                _ => new NotFoundProblem(
                    "File not found",
                    $"No preview with this file_id exists: it never existed, belongs to another OU, or expired (previews last {MessageAmounts.Duration(importOptions.Value.PreviewLifetime)}). Upload the file again."),
            };
        }
        catch (QuotaExceededException e)
        {
            return LimitProblem.QuotaReached(e);
        }
    }

    public static async Task<Results<JsonOk<SettingsResponse>, NoOuProblem>> GetSettingsAsync(HttpContext context, ILeadImportService import)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        var settings = await import.GetSettingsAsync(ou, context.RequestAborted);
        return new JsonOk<SettingsResponse>(SettingsResponse.From(settings), LeadImportJsonContext.Web.SettingsResponse);
    }

    public static async Task<Results<NoContent, NoOuProblem, NotFoundProblem>> DeletePreviewAsync(HttpContext context, ILeadImportService import, string fileId)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        // One answer for every preview that cannot be discarded, so none tells whether the id exists (CONTRACT §1).
        return await import.DeletePreviewAsync(ou, fileId, context.RequestAborted)
            ? TypedResults.NoContent()
            : new NotFoundProblem(
                "Preview not found",
                "No preview with this file_id can be discarded: it never existed, belongs to another OU, has expired, or its import has started (the job owns the file then).");
    }

    public static async Task<Results<JsonOk<JobListResponse>, NoOuProblem, InvalidRequestProblem>> ListJobsAsync(HttpContext context, ILeadImportService import)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        var paging = ReadPaging(context);
        if (paging.Problem is { } pagingProblem)
        {
            return pagingProblem;
        }

        var page = await import.ListJobsAsync(ou, paging.Page, paging.Limit, context.RequestAborted);
        return new JsonOk<JobListResponse>(
            new JobListResponse([.. page.Items.Select(JobSummaryResponse.From)], page.Total, page.PageNumber, page.Limit),
            LeadImportJsonContext.Web.JobListResponse);
    }

    public static async Task<Results<JsonOk<JobDetailResponse>, NoOuProblem, NotFoundProblem>> GetJobAsync(HttpContext context, ILeadImportService import, string jobId)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        return await import.GetJobAsync(ou, jobId, context.RequestAborted) is { } job
            ? new JsonOk<JobDetailResponse>(JobDetailResponse.From(job), LeadImportJsonContext.Web.JobDetailResponse)
            : JobNotFound();
    }

    public static async Task<Results<JsonOk<JobDetailResponse>, JsonAccepted<JobDetailResponse>, NoOuProblem, NotFoundProblem, ConflictProblem>> CancelJobAsync(
        HttpContext context, ILeadImportService import, string jobId)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        var outcome = await import.CancelJobAsync(ou, jobId, context.RequestAborted);
        return outcome.Status switch
        {
            CancelStatus.Cancelled => new JsonOk<JobDetailResponse>(JobDetailResponse.From(outcome.Job!), LeadImportJsonContext.Web.JobDetailResponse),
            CancelStatus.Requested => new JsonAccepted<JobDetailResponse>(JobDetailResponse.From(outcome.Job!), LeadImportJsonContext.Web.JobDetailResponse),
            CancelStatus.AlreadyFinished => new ConflictProblem(
                "The job has finished", $"Job {jobId} is already {outcome.Job!.Status.ToApiName()}; only queued or running jobs can be cancelled."),
            _ => JobNotFound(),
        };
    }

    public static async Task<Results<NoContent, NoOuProblem, NotFoundProblem, ConflictProblem>> DeleteJobAsync(HttpContext context, ILeadImportService import, string jobId)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        return await import.DeleteJobAsync(ou, jobId, context.RequestAborted) switch
        {
            DeleteOutcome.Deleted => TypedResults.NoContent(),
            DeleteOutcome.NotFinished => new ConflictProblem(
                "The job has not finished", $"Job {jobId} is queued or running. Cancel it first, then delete it once it has stopped."),
            _ => JobNotFound(),
        };
    }

    public static async Task<Results<JsonOk<ErrorPageResponse>, NoOuProblem, InvalidRequestProblem, NotFoundProblem>> ListErrorsAsync(
        HttpContext context, ILeadImportService import, string jobId)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        var paging = ReadPaging(context);
        if (paging.Problem is { } pagingProblem)
        {
            return pagingProblem;
        }

        return await import.ListErrorsAsync(ou, jobId, paging.Page, paging.Limit, context.RequestAborted) is { } page
            ? new JsonOk<ErrorPageResponse>(
                new ErrorPageResponse([.. page.Items.Select(RowErrorResponse.From)], page.Total, page.PageNumber, page.Limit),
                LeadImportJsonContext.Web.ErrorPageResponse)
            : JobNotFound();
    }

    public static async Task<Results<FailedRowsCsvResult, NoOuProblem, NotFoundProblem>> FailedRowsAsync(HttpContext context, ILeadImportService import, string jobId)
    {
        if (await ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        return await import.GetJobAsync(ou, jobId, context.RequestAborted) is { } job
            ? new FailedRowsCsvResult(job, () => import.ReadAllErrorsAsync(ou, jobId, context.RequestAborted))
            : JobNotFound();
    }

    /// <summary>The OU the request acts for (<see cref="ILeadImportOuResolver"/>), or <see langword="null"/> when it has none.</summary>
    internal static async ValueTask<string?> ResolveOuAsync(HttpContext context)
    {
        var resolver = context.RequestServices.GetService<ILeadImportOuResolver>()
            ?? new ClaimOuResolver(context.RequestServices.GetRequiredService<IOptions<LeadImportHttpOptions>>());
        return await resolver.ResolveAsync(context);
    }

    /// <summary>
    /// Who a start is made by: the value of the caller's claim named by <see cref="LeadImportHttpOptions.CreatedByClaimType"/>,
    /// or <see langword="null"/>. Never anything the client sent in the body.
    /// </summary>
    private static string? StartedBy(HttpContext context, LeadImportHttpOptions options) =>
        options.CreatedByClaimType is { } claimType ? context.User.FindFirstValue(claimType) : null;

    /// <summary>Reads <c>page</c> and <c>limit</c>; a wrong one is named alone, with its rule.</summary>
    private static (int Page, int Limit, InvalidRequestProblem? Problem) ReadPaging(HttpContext context)
    {
        var query = context.Request.Query;
        var page = 1;
        var limit = PagingParameters.DefaultPageSize;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (query.TryGetValue("page", out var p) && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            errors["page"] = ["page must be a whole number, 1 or more (default 1)."];
        }

        if (query.TryGetValue("limit", out var l)
            && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > LeadImportOptions.MaxPageSize))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {LeadImportOptions.MaxPageSize} (default {PagingParameters.DefaultPageSize})."];
        }

        return errors.Count == 0
            ? (page, limit, null)
            : (0, 0, new InvalidRequestProblem(
                errors, "Invalid paging", errors.Count == 1 ? $"{errors.Keys.Single()} is not valid; see errors." : "page and limit are not valid; see errors."));
    }

    private static NotFoundProblem JobNotFound() => new("Job not found", "No job with this id exists in your OU.");

    private static UploadLimitProblem FileTooLarge(FileTooLargeException exception) => UploadLimitProblem.TooLarge("File too large", exception.Message);

    [LoggerMessage(Level = LogLevel.Information, Message = "A client aborted its upload ({Reason}); nothing was kept")]
    private static partial void LogUploadAborted(ILogger logger, string reason);
}
