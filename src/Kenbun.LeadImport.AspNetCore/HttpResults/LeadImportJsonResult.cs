using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>
/// An answer whose body is written with the endpoints' own JSON settings (<see cref="LeadImportJsonContext.Web"/>:
/// snake_case, UTC timestamps, non-ASCII text as it is — CONTRACT §7), never with the host's. The subtypes are the
/// endpoints' outcomes; each declares its status codes and body type through <see cref="IEndpointMetadataProvider"/>, so
/// a handler's <c>Results&lt;…&gt;</c> return type is what OpenAPI shows and cannot drift from what the handler does.
/// </summary>
/// <remarks>
/// ASP.NET Core's own typed results cannot serve: <c>Ok&lt;T&gt;</c> and its kin write with the host's JSON options, and
/// <c>JsonHttpResult&lt;T&gt;</c>, which takes our options, declares no metadata.
/// </remarks>
/// <typeparam name="TValue">The body's declared type.</typeparam>
internal abstract class LeadImportJsonResult<TValue> : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IValueHttpResult, IValueHttpResult<TValue>
    where TValue : notnull
{
    private readonly JsonTypeInfo _typeInfo;

    /// <param name="value">The body.</param>
    /// <param name="typeInfo">How to write it: <paramref name="value"/>'s own type's, which may derive from <typeparamref name="TValue"/>.</param>
    /// <param name="statusCode">The status code.</param>
    /// <param name="contentType">The content type, or <see langword="null"/> for <c>application/json; charset=utf-8</c>.</param>
    private protected LeadImportJsonResult(TValue value, JsonTypeInfo typeInfo, int statusCode, string? contentType)
    {
        Value = value;
        _typeInfo = typeInfo;
        StatusCode = statusCode;
        ContentType = contentType;
    }

    /// <summary>The body.</summary>
    public TValue Value { get; }

    /// <summary>The status code of the answer.</summary>
    public int StatusCode { get; }

    /// <summary>The content type written, or <see langword="null"/> for <c>application/json; charset=utf-8</c>.</summary>
    public string? ContentType { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    object? IValueHttpResult.Value => Value;

    /// <inheritdoc/>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        AddHeaders(httpContext.Response.Headers);
        httpContext.Response.StatusCode = StatusCode;
        return httpContext.Response.WriteAsJsonAsync(Value, _typeInfo, ContentType, httpContext.RequestAborted);
    }

    /// <summary>Adds the headers that belong to this answer (<c>Location</c>, <c>Retry-After</c>).</summary>
    private protected virtual void AddHeaders(IHeaderDictionary headers)
    {
    }
}
