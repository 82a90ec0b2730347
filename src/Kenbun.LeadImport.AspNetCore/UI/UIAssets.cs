using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// The import page's files, embedded in this assembly and read once: the page, its script and style sheet, and its
/// texts with the host's replacements merged in. Each is served with an ETag, revalidated on every use (the framework's
/// file result answers <c>If-None-Match</c>), and with a
/// Content-Security-Policy that lets the page load nothing but these files and call nothing but its own origin.
/// </summary>
internal sealed class UIAssets
{
    /// <summary>The page's policy: its own scripts, styles and API, no inline code, no frames, no other origin.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
        ["texts.json"] = "application/json; charset=utf-8",
    };

    private readonly Dictionary<string, Asset> _assets;

    private UIAssets(Dictionary<string, Asset> assets) => _assets = assets;

    /// <summary>Reads the embedded files, with <paramref name="options"/>' texts over the built-in ones.</summary>
    public static UIAssets Load(LeadImportUIOptions options)
    {
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var (name, contentType) in ContentTypes)
        {
            var content = Read(name);
            if (name == "texts.json" && options.Texts.Count > 0)
            {
                var texts = JsonNode.Parse(content)!.AsObject();
                foreach (var (key, text) in options.Texts)
                {
                    texts[key] = text;
                }

                content = JsonSerializer.SerializeToUtf8Bytes(texts);
            }

            assets[name] = new Asset(content, contentType, new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\""));
        }

        return new UIAssets(assets);
    }

    /// <summary>Serves the file named <paramref name="name"/>, or 404 when the page has no such file.</summary>
    public IResult Serve(HttpContext context, string name)
    {
        if (!_assets.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.CacheControl] = "no-cache";
        return Results.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(UIAssets).Assembly.GetManifestResourceStream($"Kenbun.LeadImport.AspNetCore.UI.{name}")
            ?? throw new InvalidOperationException($"The import page's file {name} is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed record Asset(byte[] Content, string ContentType, EntityTagHeaderValue ETag);
}
