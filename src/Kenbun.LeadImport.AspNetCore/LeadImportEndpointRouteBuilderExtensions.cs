using Kenbun.LeadImport;
using Kenbun.LeadImport.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the lead import HTTP API.</summary>
public static class LeadImportEndpointRouteBuilderExtensions
{
    /// <summary>The route prefix used when none is given.</summary>
    public const string DefaultPrefix = "/leads/import";

    /// <summary>
    /// Maps <c>GET /settings</c>, <c>POST /preview</c>, <c>DELETE /previews/{fileId}</c>, <c>POST /start</c>,
    /// <c>GET /jobs</c>, <c>GET /jobs/{jobId}</c>, <c>POST /jobs/{jobId}/cancel</c>, <c>DELETE /jobs/{jobId}</c>,
    /// <c>GET /jobs/{jobId}/errors</c> and <c>GET /jobs/{jobId}/failed-rows.csv</c> under <paramref name="prefix"/>. Chain authorization, rate limiting or
    /// tags onto the result: <c>app.MapLeadImport().RequireAuthorization()</c>. The erasure endpoints are not among them:
    /// a host maps those on its own, with <see cref="LeadImportErasureEndpointRouteBuilderExtensions.MapLeadImportErasure"/>.
    /// </summary>
    /// <param name="endpoints">
    /// Where to map the endpoints: the app, or a route group (<c>app.MapGroup("/api").MapLeadImport()</c>) whose prefix
    /// comes before <paramref name="prefix"/>. The API may be mapped more than once (under two groups, say); links in
    /// answers stay within the mapping that made them.
    /// </param>
    /// <param name="prefix">The route prefix of the endpoints within <paramref name="endpoints"/>.</param>
    /// <exception cref="InvalidOperationException"><c>services.AddLeadImport()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapLeadImport(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        var group = endpoints.MapLeadImportGroup(prefix, nameof(MapLeadImport), "Lead import");
        var jobs = new JobLinks(endpoints.ServiceProvider.GetRequiredService<LinkGenerator>());

        // Status codes and body types come from each handler's Results<...> return type; see HttpResults/.
        group.MapGet("/settings", LeadImportEndpoints.GetSettingsAsync)
            .WithFinalName("LeadImportGetSettings")
            .WithSummary("Get what an import form needs: profile fields, identifier kinds, alias targets, modes and the OU's limits");

        group.MapPostReadingBody("/preview", LeadImportEndpoints.PreviewAsync, typeof(PreviewUploadForm), "multipart/form-data")
            .WithFinalName("LeadImportPreview")
            .WithSummary("Upload a CSV file and preview its headers, sample rows and identifier columns");

        group.MapDelete("/previews/{fileId}", LeadImportEndpoints.DeletePreviewAsync)
            .WithFinalName("LeadImportDeletePreview")
            .WithSummary("Discard a preview whose import has not started, freeing its place in the OU's preview quota");

        group.MapPostReadingBody(
                "/start",
                (HttpContext context, ILeadImportService import, IOptions<LeadImportHttpOptions> options, IOptions<LeadImportOptions> importOptions) =>
                    LeadImportEndpoints.StartAsync(context, import, options, importOptions, jobs),
                typeof(StartRequestBody),
                "application/json")
            .WithFinalName("LeadImportStart")
            .WithSummary("Start an import job from a previewed file, with field and alias mappings");

        group.MapGet("/jobs", LeadImportEndpoints.ListJobsAsync)
            .WithFinalName("LeadImportListJobs")
            .WithPagingParameters()
            .WithSummary("List the OU's import jobs, newest first");

        group.MapGet("/jobs/{jobId}", LeadImportEndpoints.GetJobAsync)
            .WithFinalName("LeadImportGetJob", jobs.SetEndpointName)
            .WithSummary("Get an import job with its counters and first errors");

        group.MapPost("/jobs/{jobId}/cancel", LeadImportEndpoints.CancelJobAsync)
            .WithFinalName("LeadImportCancelJob")
            .WithSummary("Cancel a queued job, or stop a running one at its next batch");

        group.MapDelete("/jobs/{jobId}", LeadImportEndpoints.DeleteJobAsync)
            .WithFinalName("LeadImportDeleteJob")
            .WithSummary("Delete a finished job with its errors and failed rows");

        group.MapGet("/jobs/{jobId}/errors", LeadImportEndpoints.ListErrorsAsync)
            .WithFinalName("LeadImportListJobErrors")
            .WithPagingParameters()
            .WithSummary("Page through all errors of a job in row order");

        group.MapGet("/jobs/{jobId}/failed-rows.csv", LeadImportEndpoints.FailedRowsAsync)
            .WithFinalName("LeadImportFailedRows")
            .WithSummary("Download the failed rows with an error column, ready to fix and import again");

        return group.HiddenAsConventions();
    }
}
