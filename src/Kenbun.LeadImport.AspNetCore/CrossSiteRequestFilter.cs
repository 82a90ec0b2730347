using Kenbun.LeadImport.AspNetCore.HttpResults;
using Microsoft.AspNetCore.Http;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Refuses cross-site requests made with the browser's cookies. A browser sends cookies with a form another site posts
/// (a multipart upload, a cancel), but lets no other site set a custom header without the host's CORS consent. So a
/// request that changes something (not GET, HEAD or OPTIONS), carries a cookie and no <c>Authorization</c> header, must
/// send <see cref="HeaderName"/> (any value; the import page sends it); otherwise it gets a 403 problem before its body
/// is read. Requests with a bearer token or other <c>Authorization</c>, which browsers never add on their own, pass.
/// </summary>
internal sealed class CrossSiteRequestFilter : IEndpointFilter
{
    /// <summary>The header a cookie-authenticated request must send.</summary>
    public const string HeaderName = "X-Requested-With";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var changes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        return changes && request.Headers.Cookie.Count > 0 && request.Headers.Authorization.Count == 0 && request.Headers[HeaderName].Count == 0
            ? ValueTask.FromResult<object?>(new CrossSiteProblem())
            : next(context);
    }
}
