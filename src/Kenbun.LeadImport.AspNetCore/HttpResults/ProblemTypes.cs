using Microsoft.AspNetCore.Http;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>
/// The <c>type</c> of a problem by its status: the RFC 9110 section that defines the status, as ASP.NET Core's own
/// problem details give it. Statuses it gives none (413, 429, 507) carry none, which RFC 9457 reads as <c>about:blank</c>.
/// </summary>
internal static class ProblemTypes
{
    private static readonly Dictionary<int, string> Sections = new()
    {
        [StatusCodes.Status400BadRequest] = "15.5.1",
        [StatusCodes.Status401Unauthorized] = "15.5.2",
        [StatusCodes.Status403Forbidden] = "15.5.4",
        [StatusCodes.Status404NotFound] = "15.5.5",
        [StatusCodes.Status409Conflict] = "15.5.10",
        [StatusCodes.Status408RequestTimeout] = "15.5.9",
        [StatusCodes.Status415UnsupportedMediaType] = "15.5.16",
        [StatusCodes.Status500InternalServerError] = "15.6.1",
        [StatusCodes.Status503ServiceUnavailable] = "15.6.4",
    };

    public static string? For(int status) => Sections.TryGetValue(status, out var section) ? "https://tools.ietf.org/html/rfc9110#section-" + section : null;
}
