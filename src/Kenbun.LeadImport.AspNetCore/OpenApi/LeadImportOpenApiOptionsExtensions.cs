using Kenbun.LeadImport.AspNetCore;

using Microsoft.AspNetCore.OpenApi;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Describes the lead import endpoints completely in a host's OpenAPI document.</summary>
public static class LeadImportOpenApiOptionsExtensions
{
    /// <summary>
    /// Adds to this document what the endpoints' metadata cannot say alone: the values of <c>status</c>, <c>mode</c>,
    /// <c>kind</c>, alias targets and profile fields as enums, request bodies as clients send them, and the security
    /// scheme that the endpoints requiring authorization list. Only the library's own types and endpoints are touched:
    /// <c>builder.Services.AddOpenApi(options => options.AddLeadImport());</c>
    /// </summary>
    /// <param name="options">The options of one OpenAPI document.</param>
    /// <param name="configure">Names or replaces the security scheme; see <see cref="LeadImportOpenApiOptions"/>.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static OpenApiOptions AddLeadImport(this OpenApiOptions options, Action<LeadImportOpenApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new LeadImportOpenApiOptions();
        configure?.Invoke(settings);
        var security = new LeadImportSecurityTransformer(settings);
        return options
            .AddSchemaTransformer(new LeadImportSchemaTransformer())
            .AddDocumentTransformer(new LeadImportEnumComponents())
            .AddOperationTransformer(security)
            .AddDocumentTransformer(security);
    }
}
