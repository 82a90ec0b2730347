using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Links to the job endpoint of one <c>MapLeadImport</c> mapping. <see cref="LinkGenerator"/> builds them from that
/// endpoint's final route, so they hold every <c>MapGroup</c> prefix and the request's path base, and a host that maps the
/// API twice gets links within each mapping.
/// </summary>
internal sealed class JobLinks(LinkGenerator links)
{
    private string? _endpointName;

    /// <summary>Names the job endpoint; called from its <c>Finally</c> convention, once its final route is known.</summary>
    public void SetEndpointName(string endpointName) => _endpointName = endpointName;

    /// <summary>The path of <paramref name="jobId"/>'s endpoint, for a <c>Location</c> header.</summary>
    public string PathTo(HttpContext context, string jobId)
    {
        var name = _endpointName ?? throw new InvalidOperationException("The job endpoint has not been built yet, so no link to it can be made.");
        return links.GetPathByName(context, name, new RouteValueDictionary { ["jobId"] = jobId })
            ?? throw new InvalidOperationException($"No link to the job endpoint \"{name}\" could be made for job {jobId}.");
    }
}
