using System.Diagnostics.Metrics;
using Kenbun.LeadImport;
using Kenbun.LeadImport.AspNetCore.HttpResults;
using Kenbun.LeadImport.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>How the lead import maps its endpoints: shared by <c>MapLeadImport</c> and <c>MapLeadImportErasure</c>.</summary>
internal static class LeadImportEndpointMapping
{
    /// <summary>
    /// The route group of one mapping, tagged for OpenAPI, whose endpoints answer storage trouble and unreadable requests
    /// in the library's terms (<see cref="RequestFailureFilter"/>: 500, 503, 507, declared for OpenAPI); fails at start-up
    /// when the lead import services are missing.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>services.AddLeadImport()</c> was not called.</exception>
    public static RouteGroupBuilder MapLeadImportGroup(this IEndpointRouteBuilder endpoints, string prefix, string mapMethod, string tag)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(ILeadImportService)) != true)
        {
            throw new InvalidOperationException(
                $"{mapMethod}() needs the lead import services: call services.AddLeadImport() (and choose a store, e.g. .UseInMemoryStores()) when configuring services.");
        }

        var group = endpoints.MapGroup(prefix).WithTags(tag);
        group.AddEndpointFilter(new RequestFailureFilter(
            endpoints.ServiceProvider.GetRequiredService<LeadImportStorage>(),
            new LeadImportHttpMetrics(endpoints.ServiceProvider.GetService<IMeterFactory>()),
            endpoints.ServiceProvider.GetRequiredService<ILogger<RequestFailureFilter>>()));
        group.AddEndpointFilter(new CrossSiteRequestFilter());
        return group.WithMetadata(
            LeadImportEndpointMetadata.Instance,
            new ProducesResponseTypeMetadata(StatusCodes.Status500InternalServerError, typeof(ProblemDetails), [ProblemResult.ProblemContentType]),
            new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails), [ProblemResult.ProblemContentType]),
            new ProducesResponseTypeMetadata(StatusCodes.Status507InsufficientStorage, typeof(ProblemDetails), [ProblemResult.ProblemContentType]));
    }

    /// <summary>Hides the route group, so hosts configure the endpoints without depending on its type.</summary>
    public static IEndpointConventionBuilder HiddenAsConventions(this RouteGroupBuilder group) => new Conventions(group);

    /// <summary>
    /// Maps a <c>POST</c> whose handler reads the body itself, and describes that body in OpenAPI by its content type
    /// and type. Content type metadata alone would make the router answer any other content type with an empty 415 before
    /// the handler runs, where the contract wants the handler's problem details (a start body that is not JSON is a 400,
    /// CONTRACT §3; an upload that is not multipart has no file part, a 400). So a twin endpoint on the same route, left
    /// out of the OpenAPI document and declaring no content type, takes every other request to the same handler. Routing
    /// prefers the endpoint whose declared content type matches, as it does for MVC's <c>[Consumes]</c>, so the two never
    /// compete. Neither takes antiforgery tokens: nothing is bound from a form.
    /// </summary>
    public static RouteHandlerBuilder MapPostReadingBody(this RouteGroupBuilder group, string pattern, Delegate handler, Type bodyType, string contentType)
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
    public static RouteHandlerBuilder WithFinalName(this RouteHandlerBuilder endpoint, string operation, Action<string>? named = null)
    {
        endpoint.Finally(builder =>
        {
            var name = $"{operation}-{((RouteEndpointBuilder)builder).RoutePattern.RawText}";
            builder.Metadata.Add(new EndpointNameMetadata(name));
            named?.Invoke(name);
        });
        return endpoint;
    }

    private sealed class Conventions(IEndpointConventionBuilder inner) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention) => inner.Add(convention);

        public void Finally(Action<EndpointBuilder> finallyConvention) => inner.Finally(finallyConvention);
    }
}
