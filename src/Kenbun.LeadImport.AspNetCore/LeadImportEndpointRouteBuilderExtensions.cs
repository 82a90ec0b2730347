using Kenbun.LeadImport;
using Kenbun.LeadImport.AspNetCore;
using Microsoft.AspNetCore.Builder;
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
    /// Maps <c>POST /preview</c>, <c>POST /start</c>, <c>GET /jobs</c>, <c>GET /jobs/{jobId}</c>,
    /// <c>POST /jobs/{jobId}/cancel</c>, <c>DELETE /jobs/{jobId}</c>, <c>GET /jobs/{jobId}/errors</c> and
    /// <c>GET /jobs/{jobId}/failed-rows.csv</c> under <paramref name="prefix"/>. Chain authorization, rate limiting or
    /// tags onto the result: <c>app.MapLeadImport().RequireAuthorization()</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>services.AddLeadImport()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapLeadImport(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(ILeadImportService)) != true)
        {
            throw new InvalidOperationException(
                "MapLeadImport() needs the lead import services: call services.AddLeadImport() (and choose a store, e.g. .UseInMemoryStores()) when configuring services.");
        }

        // No Accepts(...) metadata: the router would answer a wrong content type with an empty 415 before our
        // handlers can answer with problem details (and the contract wants 400 for a start body that is not JSON).
        var group = endpoints.MapGroup(prefix).WithTags("Lead import");

        // Status codes and body types come from each handler's Results<...> return type; see HttpResults/.
        group.MapPost("/preview", LeadImportEndpoints.PreviewAsync)
            .WithName("LeadImportPreview")
            .WithSummary("Upload a CSV file and preview its headers, sample rows and identifier columns")
            .DisableAntiforgery();

        group.MapPost("/start", (HttpContext context, ILeadImportService import, IOptions<LeadImportHttpOptions> options) => LeadImportEndpoints.StartAsync(context, import, options, prefix))
            .WithName("LeadImportStart")
            .WithSummary("Start an import job from a previewed file, with field and alias mappings");

        group.MapGet("/jobs", LeadImportEndpoints.ListJobsAsync)
            .WithName("LeadImportListJobs")
            .WithSummary("List the OU's import jobs, newest first");

        group.MapGet("/jobs/{jobId}", LeadImportEndpoints.GetJobAsync)
            .WithName("LeadImportGetJob")
            .WithSummary("Get an import job with its counters and first errors");

        group.MapPost("/jobs/{jobId}/cancel", LeadImportEndpoints.CancelJobAsync)
            .WithName("LeadImportCancelJob")
            .WithSummary("Cancel a queued job, or stop a running one at its next batch");

        group.MapDelete("/jobs/{jobId}", LeadImportEndpoints.DeleteJobAsync)
            .WithName("LeadImportDeleteJob")
            .WithSummary("Delete a finished job with its errors and failed rows");

        group.MapGet("/jobs/{jobId}/errors", LeadImportEndpoints.ListErrorsAsync)
            .WithName("LeadImportListJobErrors")
            .WithSummary("Page through all errors of a job in row order");

        group.MapGet("/jobs/{jobId}/failed-rows.csv", LeadImportEndpoints.FailedRowsAsync)
            .WithName("LeadImportFailedRows")
            .WithSummary("Download the failed rows with an error column, ready to fix and import again");

        return new LeadImportEndpointConventionBuilder(group);
    }

    /// <summary>Hides the route group, so hosts configure the endpoints without depending on its type.</summary>
    private sealed class LeadImportEndpointConventionBuilder(IEndpointConventionBuilder inner) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention) => inner.Add(convention);

        public void Finally(Action<EndpointBuilder> finallyConvention) => inner.Finally(finallyConvention);
    }
}
