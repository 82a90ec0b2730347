using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>400 naming every problem of the request at once, in <c>errors</c> keyed by request path (CONTRACT §3).</summary>
internal sealed class InvalidRequestProblem(IEnumerable<KeyValuePair<string, string[]>> errors, string title, string detail)
    : ProblemResult(
        new HttpValidationProblemDetails(errors) { Type = ProblemTypes.For(StatusCodes.Status400BadRequest), Status = StatusCodes.Status400BadRequest, Title = title, Detail = detail },
        LeadImportJsonContext.Web.HttpValidationProblemDetails),
    IEndpointMetadataProvider
{
    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare(builder, StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails));
}
