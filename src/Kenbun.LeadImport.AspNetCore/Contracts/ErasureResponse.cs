using System.Text.Json.Serialization;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>The answer of <c>POST /erasure</c>: what was forgotten. <c>lead_id</c> is <see langword="null"/> when only stored rows held the identifier.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record ErasureResponse(
    [property: JsonPropertyName("lead_id")] string? LeadId,
    [property: JsonPropertyName("identifiers_deleted")] int IdentifiersDeleted,
    [property: JsonPropertyName("errors_deleted")] long ErrorsDeleted,
    [property: JsonPropertyName("warnings_deleted")] long WarningsDeleted)
{
    internal static ErasureResponse From(ForgetLeadOutcome outcome) => new(outcome.LeadId, outcome.Identifiers, outcome.Errors, outcome.Warnings);
}
