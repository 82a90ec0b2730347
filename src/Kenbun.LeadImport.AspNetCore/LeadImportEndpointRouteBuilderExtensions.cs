using System.Diagnostics.Metrics;
using Kenbun.LeadImport;
using Kenbun.LeadImport.AspNetCore;
using Kenbun.LeadImport.AspNetCore.HttpResults;
using Kenbun.LeadImport.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
    /// <param name="endpoints">
    /// Where to map the endpoints: the app, or a route group (<c>app.MapGroup("/api").MapLeadImport()</c>) whose prefix
    /// comes before <paramref name="prefix"/>. The API may be mapped more than once (under two groups, say); links in
    /// answers stay within the mapping that made them.
    /// </param>
    /// <param name="prefix">The route prefix of the endpoints within <paramref name="endpoints"/>.</param>
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

        var jobs = new JobLinks(endpoints.ServiceProvider.GetRequiredService<LinkGenerator>());
        var group = endpoints.MapGroup(prefix).WithTags("Lead import");
        group.AddEndpointFilter(new RequestFailureFilter(
            endpoints.ServiceProvider.GetRequiredService<LeadImportStorage>(),
            new LeadImportHttpMetrics(endpoints.ServiceProvider.GetService<IMeterFactory>()),
            endpoints.ServiceProvider.GetRequiredService<ILogger<RequestFailureFilter>>()));
        group.WithMetadata(
            new ProducesResponseTypeMetadata(StatusCodes.Status500InternalServerError, typeof(ProblemDetails), [ProblemResult.ProblemContentType]),
            new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails), [ProblemResult.ProblemContentType]),
            new ProducesResponseTypeMetadata(StatusCodes.Status507InsufficientStorage, typeof(ProblemDetails), [ProblemResult.ProblemContentType]));

        // Status codes and body types come from each handler's Results<...> return type; see HttpResults/.
        group.MapPostReadingBody("/preview", LeadImportEndpoints.PreviewAsync, typeof(PreviewUploadForm), "multipart/form-data")
            .WithFinalName("LeadImportPreview")
            .WithSummary("Upload a CSV file and preview its headers, sample rows and identifier columns");

        group.MapPostReadingBody(
                "/start",
                (HttpContext context, ILeadImportService import, IOptions<LeadImportHttpOptions> options) => LeadImportEndpoints.StartAsync(context, import, options, jobs),
                typeof(StartRequestBody),
                "application/json")
            .WithFinalName("LeadImportStart")
            .WithSummary("Start an import job from a previewed file, with field and alias mappings");

        group.MapGet("/jobs", LeadImportEndpoints.ListJobsAsync)
            .WithFinalName("LeadImportListJobs")
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
            .WithSummary("Page through all errors of a job in row order");

        group.MapGet("/jobs/{jobId}/failed-rows.csv", LeadImportEndpoints.FailedRowsAsync)
            .WithFinalName("LeadImportFailedRows")
            .WithSummary("Download the failed rows with an error column, ready to fix and import again");

        return new LeadImportEndpointConventionBuilder(group);
    }

    /// <summary>
    /// Maps a <c>POST</c> whose handler reads the body itself, and describes that body in OpenAPI by its content type
    /// and type. Content type metadata alone would make the router answer any other content type with an empty 415 before
    /// the handler runs, where the contract wants the handler's problem details (a start body that is not JSON is a 400,
    /// CONTRACT §3; an upload that is not multipart has no file part, a 400). So a twin endpoint on the same route, left
    /// out of the OpenAPI document and declaring no content type, takes every other request to the same handler. Routing
    /// prefers the endpoint whose declared content type matches, as it does for MVC's <c>[Consumes]</c>, so the two never
    /// compete. Neither takes antiforgery tokens: nothing is bound from a form.
    /// </summary>
    private static RouteHandlerBuilder MapPostReadingBody(this RouteGroupBuilder group, string pattern, Delegate handler, Type bodyType, string contentType)
    {
        group.MapPost(pattern, handler).ExcludeFromDescription().DisableAntiforgery();
        return group.MapPost(pattern, handler).Accepts(bodyType, contentType).DisableAntiforgery();
    }

    /// <summary>
    /// Names the endpoint after its operation and its final route pattern, which holds every group prefix and is known
    /// only once the endpoint is built (as <c>MapIdentityApi</c> names its confirm-email endpoint). The name is unique
    /// however often and under whatever groups the API is mapped, and OpenAPI shows it as the operation id. It is added in
    /// a <c>Finally</c> convention, after the conventions a host chains on, so it is the name routing and OpenAPI read.
    /// <paramref name="named"/> learns it, for links to the endpoint.
    /// </summary>
    private static RouteHandlerBuilder WithFinalName(this RouteHandlerBuilder endpoint, string operation, Action<string>? named = null)
    {
        endpoint.Finally(builder =>
        {
            var name = $"{operation}-{((RouteEndpointBuilder)builder).RoutePattern.RawText}";
            builder.Metadata.Add(new EndpointNameMetadata(name));
            named?.Invoke(name);
        });
        return endpoint;
    }

    /// <summary>Hides the route group, so hosts configure the endpoints without depending on its type.</summary>
    private sealed class LeadImportEndpointConventionBuilder(IEndpointConventionBuilder inner) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention) => inner.Add(convention);

        public void Finally(Action<EndpointBuilder> finallyConvention) => inner.Finally(finallyConvention);
    }
}
