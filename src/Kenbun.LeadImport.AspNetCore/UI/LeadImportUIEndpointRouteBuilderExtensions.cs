using Kenbun.LeadImport.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the lead import page.</summary>
public static class LeadImportUIEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the import page at <c>{prefix}/ui/</c>: upload a file, match its columns, watch the job, page through its
    /// errors, download the failed rows, and the OU's import history. The page calls the API mapped by
    /// <see cref="LeadImportEndpointRouteBuilderExtensions.MapLeadImport"/> under the same <paramref name="prefix"/>, as
    /// any client, with the browser's credentials (a cookie): the host's authentication and OU apply as to any call. Its
    /// files are embedded (no CDN, no build step) and sent with a Content-Security-Policy allowing only them. Chain
    /// <c>RequireAuthorization()</c> so that a signed-out person is sent to the host's sign-in.
    /// </summary>
    /// <param name="endpoints">The app, or the route group the API is mapped in.</param>
    /// <param name="prefix">The prefix the API is mapped under.</param>
    /// <param name="configure">Replaces texts of the page (to translate it); see <see cref="LeadImportUIOptions"/>.</param>
    public static IEndpointConventionBuilder MapLeadImportUI(
        this IEndpointRouteBuilder endpoints, string prefix = LeadImportEndpointRouteBuilderExtensions.DefaultPrefix, Action<LeadImportUIOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var options = new LeadImportUIOptions();
        configure?.Invoke(options);
        var assets = UIAssets.Load(options);

        // The page addresses its files and the API relative to itself, so its address ends with a slash. Routing matches
        // ui and ui/ alike: the one endpoint sends the first to the second.
        var group = endpoints.MapGroup(prefix.TrimEnd('/') + "/ui").ExcludeFromDescription();
        group.MapGet("/", (HttpContext context) => context.Request.Path.Value?.EndsWith('/') == true
            ? assets.Serve(context, "index.html")
            : Results.Redirect($"{context.Request.PathBase}{context.Request.Path}/{context.Request.QueryString}"));
        group.MapGet("/{file}", (HttpContext context, string file) => assets.Serve(context, file));
        return group.HiddenAsConventions();
    }
}
