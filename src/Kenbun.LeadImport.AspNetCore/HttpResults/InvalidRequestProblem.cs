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
    /// <summary>The answer to a body the endpoint reads as JSON that does not say it is JSON, keyed <c>body</c>.</summary>
    /// <param name="request">What the body should be, as a sentence begins: <c>The start request</c>.</param>
    public static InvalidRequestProblem NotJson(string request) =>
        new(
            new Dictionary<string, string[]> { ["body"] = ["Send the request as JSON with Content-Type: application/json."] },
            "The request body must be JSON",
            $"{request} must be a JSON body.");

    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare(builder, StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails));
}
