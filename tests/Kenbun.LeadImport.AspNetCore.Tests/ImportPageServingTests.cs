using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Microsoft.AspNetCore.Builder;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// <c>MapLeadImportUI</c> serves the page's embedded files under the API's prefix, each under a Content-Security-Policy
/// allowing only them, revalidated by ETag, with texts a host may replace; every text the script asks for exists.
/// </summary>
public sealed partial class ImportPageServingTests
{
    [Fact]
    public async Task The_page_is_served_under_the_api_group_with_a_policy_allowing_only_its_own_files()
    {
        await using var api = await TestApi.StartAsync(runJobs: false, mapLeadImport: app =>
        {
            var group = app.MapGroup("/api");
            group.MapLeadImport();
            group.MapLeadImportUI();
        });

        var redirect = await api.Client.GetAsync("/api/leads/import/ui");
        var page = await api.Client.GetAsync("/api/leads/import/ui/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/api/leads/import/ui/", redirect.Headers.Location!.OriginalString);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
            Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/api/leads/import/ui/app.css")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/api/leads/import/ui/secrets.txt")).StatusCode);
    }

    [Fact]
    public async Task A_file_the_browser_has_is_not_sent_again()
    {
        await using var api = await TestApi.StartAsync(runJobs: false, mapLeadImport: app => app.MapLeadImportUI());
        var first = await api.Client.GetAsync("/leads/import/ui/app.js");
        var again = new HttpRequestMessage(HttpMethod.Get, "/leads/import/ui/app.js");
        again.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"an-older-one\""));
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var stale = new HttpRequestMessage(HttpMethod.Get, "/leads/import/ui/app.js");
        stale.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"an-older-one\""));

        var second = await api.Client.SendAsync(again);
        var changed = await api.Client.SendAsync(stale);

        Assert.Equal("text/javascript", first.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(first.Headers.ETag, changed.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await changed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_host_replaces_texts_and_keeps_the_rest()
    {
        await using var api = await TestApi.StartAsync(runJobs: false, mapLeadImport: app => app.MapLeadImportUI(configure: o =>
        {
            o.Texts["lang"] = "de";
            o.Texts["title"] = "Leads importieren";
        }));

        var texts = JsonNode.Parse(await api.Client.GetStringAsync("/leads/import/ui/texts.json"))!;

        Assert.Equal("de", texts["lang"]!.ToString());
        Assert.Equal("Leads importieren", texts["title"]!.ToString());
        Assert.Equal("Start import", texts["map.start"]!.ToString());
    }

    [Fact]
    public async Task Every_text_the_page_asks_for_is_in_its_texts_with_one_for_each_status_mode_and_kind()
    {
        await using var api = await TestApi.StartAsync(runJobs: false, mapLeadImport: app => app.MapLeadImportUI());
        var texts = JsonNode.Parse(await api.Client.GetStringAsync("/leads/import/ui/texts.json"))!.AsObject();
        var script = await api.Client.GetStringAsync("/leads/import/ui/app.js");
        var page = await api.Client.GetStringAsync("/leads/import/ui/");

        var asked = TextKeys().Matches(script).Select(m => m.Groups[1].Value)
            .Concat(DataTextKeys().Matches(page).Select(m => m.Groups[1].Value))
            .Concat(Enum.GetValues<JobStatus>().Select(s => $"job.status.{s.ToApiName()}"))
            .Concat(Enum.GetValues<ImportMode>().Select(m => $"mode.{m.ToApiName()}"))
            .Concat(IdentifierKinds.All.Select(k => $"kind.{k.ToApiName()}"))
            .Concat(new LeadImportOptions().ProfileFields.Select(f => $"field.{f}"))
            .Concat(["rows.one", "rows.other"])
            .Distinct().ToList();

        Assert.True(asked.Count > 80, $"only {asked.Count} text keys found: the patterns no longer match the script");
        var missing = asked.Where(key => !texts.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, "texts.json lacks: " + string.Join(", ", missing));
    }

    [GeneratedRegex(@"\bt\('([a-zA-Z0-9_.]+)'")]
    private static partial Regex TextKeys();

    [GeneratedRegex(@"data-text=""([a-zA-Z0-9_.]+)""")]
    private static partial Regex DataTextKeys();
}
