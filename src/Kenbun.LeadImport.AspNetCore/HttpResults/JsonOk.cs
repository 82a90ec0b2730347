using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>200 with a JSON body, written with the endpoints' own settings.</summary>
internal sealed class JsonOk<TValue>(TValue value, JsonTypeInfo<TValue> typeInfo)
    : LeadImportJsonResult<TValue>(value, typeInfo, StatusCodes.Status200OK, contentType: null), IEndpointMetadataProvider
    where TValue : notnull
{
    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TValue), ["application/json"]));
    }
}
