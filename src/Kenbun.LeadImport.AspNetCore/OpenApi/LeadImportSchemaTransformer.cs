using System.Text.Json.Nodes;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Finishes the schemas of the library's own types, and only those: string properties marked with
/// <see cref="ApiValuesAttribute"/> list their values (on a map, its values; on a list, its items), and the scalar properties of request bodies are not nullable, as a
/// client sends them (their C# properties are nullable only so that the handler can name a missing one in its 400).
/// ASP.NET Core wraps a nullable object property in <c>oneOf</c> with <c>null</c> after the transformers have run, so
/// <c>primary_identifier</c> keeps that wrapper. The <c>detail</c> of problem details is marked as a client's error message.
/// </summary>
internal sealed class LeadImportSchemaTransformer : IOpenApiSchemaTransformer
{
    private static readonly Type[] RequestBodies = [typeof(StartRequestBody), typeof(PrimaryIdentifierBody), typeof(ErasureRequestBody)];

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { Name: "detail" } detail && detail.DeclaringType.IsAssignableTo(typeof(ProblemDetails)))
        {
            // Every error of the API is a problem; its detail is the message a generated client should show (Kiota).
            schema.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            schema.Extensions["x-ms-primary-error-message"] = new JsonNodeExtension(JsonValue.Create(true));
        }

        if (context.JsonPropertyInfo is not { } property || property.DeclaringType.Assembly != typeof(LeadImportSchemaTransformer).Assembly)
        {
            return Task.CompletedTask;
        }

        if (RequestBodies.Contains(property.DeclaringType))
        {
            schema.Type &= ~JsonSchemaType.Null;
        }

        if (property.AttributeProvider?.GetCustomAttributes(typeof(ApiValuesAttribute), inherit: false).FirstOrDefault() is ApiValuesAttribute values)
        {
            // A map's values and a list's items get a schema of their own: the one they have may be shared.
            var target = schema;
            if (schema.AdditionalProperties is not null)
            {
                schema.AdditionalProperties = target = new OpenApiSchema();
            }
            else if (schema.Items is not null)
            {
                schema.Items = target = new OpenApiSchema();
            }

            target.Type = JsonSchemaType.String;
            target.Enum = Values(values.Set, context.ApplicationServices);
            target.Metadata ??= new Dictionary<string, object>();
            target.Metadata[LeadImportEnumComponents.ValueSetKey] = values.Set;
        }

        return Task.CompletedTask;
    }

    /// <summary>The API names of <paramref name="set"/>, in the order the API lists them.</summary>
    public static List<JsonNode> Values(ApiValueSet set, IServiceProvider services)
    {
        IEnumerable<string> names = set switch
        {
            ApiValueSet.JobStatus => Enum.GetValues<JobStatus>().Select(s => s.ToApiName()),
            ApiValueSet.ImportMode => Enum.GetValues<ImportMode>().Select(m => m.ToApiName()),
            ApiValueSet.IdentifierKind => IdentifierKinds.All.Select(k => k.ToApiName()),
            ApiValueSet.AliasTarget => IdentifierKinds.All.Select(k => k.ToAliasTarget()),
            ApiValueSet.ProfileField => services.GetRequiredService<IOptions<LeadImportOptions>>().Value.ProfileFields,
            _ => throw new ArgumentOutOfRangeException(nameof(set), set, "Unknown value set."),
        };
        return [.. names.Select(name => (JsonNode)JsonValue.Create(name))];
    }
}
