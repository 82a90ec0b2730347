using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Declares <c>page</c> and <c>limit</c> on a list endpoint for OpenAPI. The handler reads them itself, so that a wrong
/// one gets the contract's 400 naming it rather than the router's empty one.
/// </summary>
internal static class PagingParameters
{
    public const int DefaultPageSize = 25;

    public static RouteHandlerBuilder WithPagingParameters(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(Query("page", "The page, from 1.", minimum: 1, maximum: null, byDefault: 1));
            operation.Parameters.Add(Query("limit", "Items a page.", minimum: 1, maximum: LeadImportOptions.MaxPageSize, byDefault: DefaultPageSize));
            return Task.CompletedTask;
        });

    private static OpenApiParameter Query(string name, string description, int minimum, int? maximum, int byDefault) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Maximum = maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Default = JsonValue.Create(byDefault),
        },
    };
}
