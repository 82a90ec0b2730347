using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Kenbun.LeadImport.Docs.Tests;

/// <summary>docs/http-api.md has a heading for every endpoint that <c>MapLeadImport()</c> and <c>MapLeadImportErasure()</c> map.</summary>
public sealed class HttpApiDocTests
{
    private const string Page = "docs/http-api.md";

    [Fact]
    public async Task Every_endpoint_has_a_heading_with_its_method_and_route()
    {
        var endpoints = await MappedEndpointsAsync();
        var headings = DocPage.Read(Page).Headings.ToList();

        // "## `GET /jobs/{jobId}`", "## *Extra* `GET /jobs?page=&limit=`": the route within the prefix, a query string allowed.
        var missing = endpoints
            .Select(endpoint => (endpoint.Method, endpoint.Route))
            .Distinct()
            .Where(endpoint => !headings.Any(heading => Regex.IsMatch(heading, Regex.Escape($"`{endpoint.Method} {endpoint.Route}") + "[`?]")))
            .Select(endpoint => $"`{endpoint.Method} {endpoint.Route}`")
            .ToList();

        Assert.True(missing.Count == 0, $"{Page} has no heading for these endpoints (routes within the prefix {LeadImportEndpointRouteBuilderExtensions.DefaultPrefix}): {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task Every_endpoint_name_is_listed_with_the_operation_ids()
    {
        var endpoints = await MappedEndpointsAsync();
        var page = string.Join('\n', DocPage.Read(Page).ProseLines);

        var missing = endpoints
            .Where(endpoint => endpoint.Operation is not null && !page.Contains($"`{endpoint.Operation}`", StringComparison.Ordinal))
            .Select(endpoint => $"`{endpoint.Operation}` ({endpoint.Method} {endpoint.Route})")
            .ToList();

        Assert.True(missing.Count == 0, $"{Page} does not name these operations (OpenAPI operation ids): {string.Join(", ", missing)}");
    }

    /// <summary>
    /// Every endpoint both extension methods map, as method, route within the default prefix and operation (the endpoint
    /// name without its route; <see langword="null"/> for the twins left out of the OpenAPI document).
    /// </summary>
    private static async Task<IReadOnlyList<(string Method, string Route, string? Operation)>> MappedEndpointsAsync()
    {
        await using var app = ReferenceApp.Build();
        var prefix = LeadImportEndpointRouteBuilderExtensions.DefaultPrefix;
        var endpoints = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint =>
            {
                var pattern = endpoint.RoutePattern.RawText!;
                Assert.StartsWith(prefix, pattern, StringComparison.Ordinal);
                var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
                return methods.Select(method => (method, pattern[prefix.Length..], name?.Split('-')[0]));
            })
            .ToList();

        Assert.NotEmpty(endpoints);
        return endpoints;
    }
}
