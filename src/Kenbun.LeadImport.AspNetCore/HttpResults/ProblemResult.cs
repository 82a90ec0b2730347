using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>
/// A problem details answer (RFC 9457, <c>application/problem+json</c>) written with the endpoints' own JSON settings, so
/// a host's <c>IProblemDetailsService</c> and JSON options do not change it (CONTRACT §7). Each subtype is one kind of
/// refusal and declares the status codes it can carry.
/// </summary>
internal abstract class ProblemResult : LeadImportJsonResult<ProblemDetails>
{
    /// <summary>The content type of every problem.</summary>
    public const string ProblemContentType = "application/problem+json";

    private protected ProblemResult(int status, string title, string detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
        : this(Details(status, title, detail, extensions), LeadImportJsonContext.Web.ProblemDetails)
    {
    }

    private protected ProblemResult(ProblemDetails problem, JsonTypeInfo typeInfo)
        : base(problem, typeInfo, problem.Status ?? StatusCodes.Status500InternalServerError, ProblemContentType)
    {
    }

    /// <summary>Declares, for OpenAPI, that the endpoint may answer <paramref name="status"/> with a problem of <paramref name="type"/>.</summary>
    private protected static void Declare(EndpointBuilder builder, int status, Type? type = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, type ?? typeof(ProblemDetails), [ProblemContentType]));
    }

    private static ProblemDetails Details(int status, string title, string detail, IEnumerable<KeyValuePair<string, object?>>? extensions)
    {
        var problem = new ProblemDetails { Type = ProblemTypes.For(status), Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? [])
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }
}
