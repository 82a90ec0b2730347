using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Turns the value lists <see cref="LeadImportSchemaTransformer"/> wrote into properties into one component schema each
/// (<c>LeadImportJobStatus</c>, …) that the properties refer to, so a generated client has one <c>JobStatus</c> type,
/// not one per property that holds a status.
/// </summary>
internal sealed class LeadImportEnumComponents : IOpenApiDocumentTransformer
{
    /// <summary>The key of <see cref="OpenApiSchema.Metadata"/> under which a property's <see cref="ApiValueSet"/> is noted.</summary>
    public const string ValueSetKey = "kenbun-lead-import-values";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>().ToList() ?? [])
        {
            foreach (var (name, property) in schema.Properties?.ToList() ?? [])
            {
                if (property is OpenApiSchema { AdditionalProperties: OpenApiSchema values } map && Reference(values, document, context) is { } valuesReference)
                {
                    map.AdditionalProperties = valuesReference;
                }
                else if (property is OpenApiSchema { Items: OpenApiSchema items } list && Reference(items, document, context) is { } itemsReference)
                {
                    list.Items = itemsReference;
                }
                else if (property is OpenApiSchema inline && Reference(inline, document, context) is { } reference)
                {
                    schema.Properties![name] = reference;
                }
            }
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchemaReference? Reference(OpenApiSchema schema, OpenApiDocument document, OpenApiDocumentTransformerContext context)
    {
        if (schema.Metadata?.TryGetValue(ValueSetKey, out var noted) != true || noted is not ApiValueSet set)
        {
            return null;
        }

        var name = "LeadImport" + set;
        if (document.Components?.Schemas?.ContainsKey(name) != true)
        {
            document.AddComponent(name, new OpenApiSchema { Type = JsonSchemaType.String, Enum = LeadImportSchemaTransformer.Values(set, context.ApplicationServices) });
        }

        return new OpenApiSchemaReference(name, document);
    }
}
