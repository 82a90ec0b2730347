using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>409: the job or file is not in a state that allows the request; <c>Location</c> names the job in the way, when there is one.</summary>
internal sealed class ConflictProblem(string title, string detail, string? location = null)
    : ProblemResult(StatusCodes.Status409Conflict, title, detail), IEndpointMetadataProvider
{
    /// <summary>The job in the way, or <see langword="null"/>.</summary>
    public string? Location { get; } = location;

    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status409Conflict);

    private protected override void AddHeaders(IHeaderDictionary headers)
    {
        if (Location is not null)
        {
            headers.Location = Location;
        }
    }
}
