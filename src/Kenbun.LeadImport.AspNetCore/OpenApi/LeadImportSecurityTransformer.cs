using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Declares the host's security scheme and requires it on every lead import operation whose endpoint requires
/// authorization (<c>MapLeadImport().RequireAuthorization()</c>): what the endpoints demand is what the document says.
/// </summary>
internal sealed class LeadImportSecurityTransformer(LeadImportOpenApiOptions options) : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (options.SecurityScheme is { } scheme && options.SecuritySchemeName is { } name
            && document.Components?.SecuritySchemes?.ContainsKey(name) != true)
        {
            document.AddComponent(name, scheme);
        }

        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (options.SecuritySchemeName is { } name
            && metadata.OfType<LeadImportEndpointMetadata>().Any()
            && metadata.Any(m => m is IAuthorizeData or AuthorizationPolicy)
            && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(name, context.Document)] = [] });
        }

        return Task.CompletedTask;
    }
}
