using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>202 with a JSON body, written with the endpoints' own settings, and a <c>Location</c> when there is one.</summary>
internal sealed class JsonAccepted<TValue>(TValue value, JsonTypeInfo<TValue> typeInfo, string? location = null)
    : LeadImportJsonResult<TValue>(value, typeInfo, StatusCodes.Status202Accepted, contentType: null), IEndpointMetadataProvider
    where TValue : notnull
{
    /// <summary>Where the accepted work can be watched, or <see langword="null"/>.</summary>
    public string? Location { get; } = location;

    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status202Accepted, typeof(TValue), ["application/json"]));
    }

    private protected override void AddHeaders(IHeaderDictionary headers)
    {
        if (Location is not null)
        {
            headers.Location = Location;
        }
    }
}
