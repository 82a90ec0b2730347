using Kenbun.LeadImport.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the lead import's erasure endpoints, which <c>MapLeadImport()</c> leaves out.</summary>
public static class LeadImportErasureEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the erasure endpoints under <paramref name="prefix"/>: <c>POST /erasure</c>, which forgets a person of the
    /// caller's OU by an identifier given in a JSON body (<c>{"kind": "email", "value": "jane@example.com"}</c>), and
    /// <c>DELETE /ou-data</c>, which deletes everything the caller's OU has. The OU comes from the same
    /// <c>ILeadImportOuResolver</c> as the other endpoints. They delete data for good, so
    /// <c>MapLeadImport()</c> does not map them: a host maps them where it chooses and secures them, chaining its
    /// authorization onto the result: <c>app.MapLeadImportErasure().RequireAuthorization("lead-admin")</c>.
    /// </summary>
    /// <param name="endpoints">Where to map the endpoints: the app or a route group, whose prefix comes first.</param>
    /// <param name="prefix">The route prefix of the endpoints within <paramref name="endpoints"/>.</param>
    /// <exception cref="InvalidOperationException"><c>services.AddLeadImport()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapLeadImportErasure(this IEndpointRouteBuilder endpoints, string prefix = LeadImportEndpointRouteBuilderExtensions.DefaultPrefix)
    {
        var group = endpoints.MapLeadImportGroup(prefix, nameof(MapLeadImportErasure), "Lead import erasure");

        group.MapPostReadingBody("/erasure", LeadImportErasureEndpoints.ForgetLeadAsync, typeof(ErasureRequestBody), "application/json")
            .WithFinalName("LeadImportForgetLead")
            .WithSummary("Forget a person of the OU by one of their identifiers: their lead and every stored error and warning that holds its values");

        group.MapDelete("/ou-data", LeadImportErasureEndpoints.DeleteOuDataAsync)
            .WithFinalName("LeadImportDeleteOuData")
            .WithSummary("Delete everything the OU has: leads, identifiers, jobs with their errors and warnings, uploads");

        return group.HiddenAsConventions();
    }
}
