using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>404: no such file or job in the caller's OU (another OU's answers the same: CONTRACT §1).</summary>
internal sealed class NotFoundProblem(string title, string detail)
    : ProblemResult(StatusCodes.Status404NotFound, title, detail), IEndpointMetadataProvider
{
    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status404NotFound);
}
