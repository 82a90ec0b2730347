using Microsoft.AspNetCore.Http;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>403: a request that changes something, authenticated by a cookie alone, without the header only a page of the host's own origin can send.</summary>
internal sealed class CrossSiteProblem() : ProblemResult(
    StatusCodes.Status403Forbidden,
    "Cross-site request refused",
    $"A request authenticated by a cookie must send the header {CrossSiteRequestFilter.HeaderName}, which a page of another site cannot send.");
