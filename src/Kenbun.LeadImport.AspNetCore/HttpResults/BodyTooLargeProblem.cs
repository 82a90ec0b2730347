using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>413: a request body longer than its endpoint reads, for endpoints that have no quota to answer 429 with.</summary>
internal sealed class BodyTooLargeProblem(string title, string detail)
    : ProblemResult(StatusCodes.Status413PayloadTooLarge, title, detail), IEndpointMetadataProvider
{
    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status413PayloadTooLarge);
}
