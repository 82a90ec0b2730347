using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Kenbun.LeadImport.Sample;

/// <summary>
/// Development only: sign in to the import page as someone of one of the configured dev OUs (<c>DevTokens</c>), with a
/// cookie (HTTP-only, SameSite=Strict). Scripts keep using the bearer tokens; a request with an <c>Authorization</c>
/// header is authenticated by the token, one with the cookie by the cookie, and an API call with neither answers 401
/// while the page sends a signed-out person here.
/// </summary>
internal static class DevSignIn
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string SchemeName = "DevTokenOrCookie";
    private const string Path = "/dev/sign-in";
    private const string CookieName = "leadimport.dev";

    public static void AddDevSignIn(this AuthenticationBuilder authentication)
    {
        authentication
            .AddScheme<AuthenticationSchemeOptions, DevTokenAuthenticationHandler>(DevTokenAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.LoginPath = Path;
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            })
            .AddPolicyScheme(SchemeName, "Dev token or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? DevTokenAuthenticationHandler.SchemeName
                : context.Request.Cookies.ContainsKey(CookieName) || context.Request.Path.Value?.Contains("/ui", StringComparison.Ordinal) == true ? CookieScheme
                : DevTokenAuthenticationHandler.SchemeName);
    }

    public static void MapDevSignIn(this IEndpointRouteBuilder app, string defaultReturnUrl)
    {
        app.MapGet(Path, (HttpContext context, IAntiforgery antiforgery, IConfiguration configuration, string? returnUrl) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            var ous = configuration.GetSection("DevTokens").GetChildren().Select(t => t.Value).OfType<string>().Distinct().ToList();
            var encode = HtmlEncoder.Default;
            var options = string.Concat(ous.Select(ou => $"<option>{encode.Encode(ou)}</option>"));
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'";
            return Results.Content($"""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in (development)</title></head>
                <body><main>
                <h1>Sign in (development only)</h1>
                <form method="post" action="{Path}">
                <input type="hidden" name="{encode.Encode(tokens.FormFieldName)}" value="{encode.Encode(tokens.RequestToken!)}">
                <input type="hidden" name="returnUrl" value="{encode.Encode(returnUrl ?? defaultReturnUrl)}">
                <p><label for="name">Your name</label><br><input id="name" name="name" value="Dev User" required></p>
                <p><label for="ou">Organisation unit</label><br><select id="ou" name="ou">{options}</select></p>
                <p><button type="submit">Sign in</button></p>
                </form></main></body></html>
                """, "text/html; charset=utf-8");
        }).ExcludeFromDescription();

        app.MapPost(Path, async (HttpContext context, IConfiguration configuration, [FromForm] string name, [FromForm] string ou, [FromForm] string? returnUrl) =>
        {
            if (!configuration.GetSection("DevTokens").GetChildren().Any(t => t.Value == ou))
            {
                return Results.BadRequest("Unknown OU.");
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim("ou", ou)], CookieScheme);
            await context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
            return Results.LocalRedirect(returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : defaultReturnUrl);
        }).ExcludeFromDescription();
    }
}
