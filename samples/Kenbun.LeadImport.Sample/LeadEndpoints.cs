using System.Text.Json.Serialization;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport.Sample;

/// <summary>Two read endpoints so a user can see what an import did: look a lead up by identifier, or list the OU's leads.</summary>
internal static class LeadEndpoints
{
    public static void MapLeadReads(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("/leads").WithTags("Leads (sample)").RequireAuthorization();

        leads.MapGet("/lookup", async (string? kind, string? value, HttpContext context, ILeadStore store, IOptions<LeadImportOptions> options) =>
        {
            var phoneRegion = options.Value.DefaultPhoneRegion;
            if (!IdentifierKinds.TryParse(kind, out var identifierKind) || !IdentifierNormalizer.TryNormalize(identifierKind, value, phoneRegion, out var normalized))
            {
                return Results.Problem(
                    "Give kind (email, phone, cookie, external_id, social) and a valid value, e.g. ?kind=email&value=jane@example.com.",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid lookup");
            }

            var lead = await store.FindAsync(Ou(context), new IdentifierKey(identifierKind, normalized), context.RequestAborted);
            return lead is null
                ? Results.Problem("No lead has this identifier in your OU.", statusCode: StatusCodes.Status404NotFound, title: "Lead not found")
                : Results.Json(LeadResponse.From(lead));
        })
        .WithName("SampleLookupLead")
        .WithSummary("Find a lead by an identifier, normalised as the importer does");

        leads.MapGet("/", async (int? page, int? limit, HttpContext context, ILeadStore store) =>
        {
            var (p, l) = (page ?? 1, limit ?? 25);
            if (p < 1 || l is < 1 or > LeadImportOptions.MaxPageSize)
            {
                return Results.Problem($"page must be 1 or more; limit from 1 to {LeadImportOptions.MaxPageSize}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid paging");
            }

            var result = await store.ListAsync(Ou(context), p, l, context.RequestAborted);
            return Results.Json(new LeadListResponse([.. result.Items.Select(LeadResponse.From)], result.Total, p, l));
        })
        .WithName("SampleListLeads")
        .WithSummary("List the OU's leads");
    }

    private static string Ou(HttpContext context) => context.User.FindFirst("ou")!.Value;

    internal sealed record LeadResponse(
        [property: JsonPropertyName("lead_id")] string LeadId,
        [property: JsonPropertyName("fields")] IReadOnlyDictionary<string, string> Fields,
        [property: JsonPropertyName("identifiers")] IReadOnlyList<IdentifierResponse> Identifiers)
    {
        public static LeadResponse From(Lead lead) =>
            new(lead.LeadId, lead.Fields, [.. lead.Identifiers.Select(i => new IdentifierResponse(i.Kind.ToApiName(), i.Value))]);
    }

    internal sealed record IdentifierResponse([property: JsonPropertyName("kind")] string Kind, [property: JsonPropertyName("value")] string Value);

    internal sealed record LeadListResponse(
        [property: JsonPropertyName("leads")] IReadOnlyList<LeadResponse> Leads,
        [property: JsonPropertyName("total")] long Total,
        [property: JsonPropertyName("page")] int Page,
        [property: JsonPropertyName("limit")] int Limit);
}
