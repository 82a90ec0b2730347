using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>
/// 401 or 403: the request acts for no OU (CONTRACT §1). An anonymous caller gets 401; an authenticated one that belongs
/// to no OU gets 403. Every endpoint can answer it, so every endpoint declares both.
/// </summary>
internal sealed class NoOuProblem : ProblemResult, IEndpointMetadataProvider
{
    private NoOuProblem(int status, string title, string detail)
        : base(status, title, detail)
    {
    }

    /// <summary>The answer for a request whose OU resolver found none.</summary>
    public static NoOuProblem For(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
            ? new(StatusCodes.Status403Forbidden, "No OU", "The caller is authenticated but belongs to no OU, so it can import nothing.")
            : new(StatusCodes.Status401Unauthorized, "Not authenticated", "Authenticate to use the lead import.");

    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        Declare(builder, StatusCodes.Status401Unauthorized);
        Declare(builder, StatusCodes.Status403Forbidden);
    }
}
