using System.Reflection;
using Kenbun.LeadImport.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>200 <c>text/csv</c>: a job's failed rows as a file to download (<see cref="FailedRowsCsv"/>), streamed as they are read.</summary>
internal sealed class FailedRowsCsvResult(ImportJob job, Func<IAsyncEnumerable<RowError>> readErrors)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    /// <inheritdoc/>
    public int? StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc/>
    public string ContentType => "text/csv; charset=utf-8";

    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/csv"]));
    }

    /// <inheritdoc/>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = ContentType;
        httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{job.JobId}-failed-rows.csv\"";
        return FailedRowsCsv.WriteAsync(httpContext.Response.Body, job, readErrors, httpContext.RequestAborted);
    }
}
