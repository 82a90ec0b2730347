using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>400: the upload cannot be read as a CSV file; <c>detail</c> says why, and extensions such as <c>line</c> say where.</summary>
internal sealed class BadRequestProblem(string title, string detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    : ProblemResult(StatusCodes.Status400BadRequest, title, detail, extensions), IEndpointMetadataProvider
{
    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status400BadRequest);
}
