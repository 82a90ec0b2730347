namespace Kenbun.LeadImport.AspNetCore;

/// <summary>Marks the endpoints the library maps, so its OpenAPI transformers leave the host's own endpoints alone.</summary>
internal sealed class LeadImportEndpointMetadata
{
    public static LeadImportEndpointMetadata Instance { get; } = new();
}
