using Microsoft.OpenApi;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>How <c>AddLeadImport</c> describes the lead import endpoints in an OpenAPI document.</summary>
public sealed class LeadImportOpenApiOptions
{
    /// <summary>
    /// The name of the security scheme that the endpoints requiring authorization list in the document. Default
    /// <c>Bearer</c>. Name the scheme your own document declares, or <see langword="null"/> for no security requirement.
    /// </summary>
    public string? SecuritySchemeName { get; set; } = "Bearer";

    /// <summary>
    /// The scheme declared under <see cref="SecuritySchemeName"/> when the document has none of that name yet. Default: HTTP
    /// bearer authentication. <see langword="null"/> when the host declares the scheme itself.
    /// </summary>
    public OpenApiSecurityScheme? SecurityScheme { get; set; } = new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        Description = "A bearer token from the host's authentication; the OU comes from the token's claims.",
    };
}
