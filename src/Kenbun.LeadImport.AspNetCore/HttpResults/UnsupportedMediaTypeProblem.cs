using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>415: the upload is not a CSV file, by its content type and name or by its content (CONTRACT §2).</summary>
internal sealed class UnsupportedMediaTypeProblem(string detail)
    : ProblemResult(StatusCodes.Status415UnsupportedMediaType, "The file must be CSV", detail), IEndpointMetadataProvider
{
    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status415UnsupportedMediaType);
}
