using System.Text.Json.Serialization;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>The answer of <c>DELETE /ou-data</c>: what the caller's OU had, now deleted; all zero when it had nothing.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record OuDataDeletionResponse(
    [property: JsonPropertyName("leads_deleted")] long LeadsDeleted,
    [property: JsonPropertyName("identifiers_deleted")] long IdentifiersDeleted,
    [property: JsonPropertyName("jobs_deleted")] long JobsDeleted,
    [property: JsonPropertyName("files_deleted")] long FilesDeleted)
{
    internal static OuDataDeletionResponse From(DeleteOuOutcome outcome) => new(outcome.Leads, outcome.Identifiers, outcome.Jobs, outcome.Files);
}
