using System.Text.Json.Nodes;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// *Extra* <c>GET /settings</c>: what an import form needs, as the host is configured, scoped like every endpoint
/// (CONTRACT §1), in snake_case with numbers as numbers (§7).
/// </summary>
public class SettingsEndpointTests
{
    [Fact]
    public async Task By_default_the_settings_are_the_contracts_choices_and_limits()
    {
        await using var api = await TestApi.StartAsync(runJobs: false);

        var settings = await TestApi.Expect(await api.Client.GetAsync("/leads/import/settings"), 200);

        Assert.Equal(
            ["profile_fields", "identifier_kinds", "alias_targets", "modes", "max_file_bytes", "default_phone_region", "phone_regions", "max_page_size",
             "preview_lifetime_seconds", "max_previews_per_ou", "max_queued_jobs_per_ou"],
            settings.Select(p => p.Key));
        // CONTRACT §3: the default profile fields, kinds, alias targets and modes; §2: 10 MB and an hour; §1: 50 previews and 20 queued jobs.
        Assert.Equal(["first_name", "last_name", "company", "title", "notes", "website", "city", "country"], Strings(settings["profile_fields"]));
        Assert.Equal(["email", "phone", "cookie", "external_id", "social"], Strings(settings["identifier_kinds"]));
        Assert.Equal(["_alias_email", "_alias_phone", "_alias_cookie", "_alias_external_id", "_alias_social"], Strings(settings["alias_targets"]));
        Assert.Equal(["upsert", "create_only", "update_only"], Strings(settings["modes"]));
        Assert.Equal("10485760", settings["max_file_bytes"]!.ToJsonString());
        Assert.Null(settings["default_phone_region"]);
        Assert.True(settings.ContainsKey("default_phone_region"));
        Assert.Contains("US", Strings(settings["phone_regions"]));
        Assert.Equal("100", settings["max_page_size"]!.ToJsonString());
        Assert.Equal("3600", settings["preview_lifetime_seconds"]!.ToJsonString());
        Assert.Equal(("50", "20"), (settings["max_previews_per_ou"]!.ToJsonString(), settings["max_queued_jobs_per_ou"]!.ToJsonString()));
    }

    [Fact]
    public async Task The_settings_follow_what_the_host_configured()
    {
        await using var api = await TestApi.StartAsync(
            o =>
            {
                o.ProfileFields = ["first_name", "loyalty_tier"];
                o.MaxFileBytes = 2 * 1024 * 1024;
                o.DefaultPhoneRegion = "de";
                o.PreviewLifetime = TimeSpan.FromMinutes(90);
                o.MaxPreviewsPerOu = 5;
                o.MaxQueuedJobsPerOu = 2;
            },
            runJobs: false);

        var settings = await TestApi.Expect(await api.Client.GetAsync("/leads/import/settings"), 200);

        Assert.Equal(["first_name", "loyalty_tier"], Strings(settings["profile_fields"]));
        Assert.Equal(2 * 1024 * 1024, (long)settings["max_file_bytes"]!);
        Assert.Equal("DE", settings["default_phone_region"]!.ToString());
        Assert.Equal(5400, (long)settings["preview_lifetime_seconds"]!);
        Assert.Equal((5, 2), ((int)settings["max_previews_per_ou"]!, (int)settings["max_queued_jobs_per_ou"]!));
    }

    [Fact]
    public async Task A_start_built_from_the_settings_is_accepted_with_every_kind_alias_target_mode_and_region_they_list()
    {
        // The names the settings list must be the names start reads (CONTRACT §3), or a form built from them fails.
        await using var api = await TestApi.StartAsync(o => o.ProfileFields = ["first_name", "loyalty_tier"], runJobs: false);
        var settings = await TestApi.Expect(await api.Client.GetAsync("/leads/import/settings"), 200);
        var kinds = Strings(settings["identifier_kinds"]);
        var targets = Strings(settings["alias_targets"]);
        var fields = Strings(settings["profile_fields"]);
        var columns = new[] { "Email", "Phone", "Cookie", "Ext", "Social" };
        var fileId = (await api.PreviewAsync("Email,Phone,Cookie,Ext,Social,First,Tier\na@x.com,+1 415 555 0100,c1,e1,@ann,Ann,gold\n"))["file_id"]!.ToString();

        var starts = new List<HttpResponseMessage>();
        for (var i = 0; i < kinds.Length; i++)
        {
            var request = new JsonObject
            {
                ["file_id"] = fileId,
                ["primary_identifier"] = new JsonObject { ["column"] = columns[i], ["kind"] = kinds[i] },
                ["alias_mappings"] = new JsonObject(columns.Zip(targets).Where(p => p.First != columns[i]).Select(p => KeyValuePair.Create(p.First, (JsonNode?)p.Second))),
                ["field_mappings"] = new JsonObject { ["First"] = fields[0], ["Tier"] = fields[1] },
                ["mode"] = Strings(settings["modes"])[i % 3],
                ["default_phone_region"] = Strings(settings["phone_regions"])[i],
                ["dry_run"] = true,
            };
            starts.Add(await api.PostJsonAsync("/leads/import/start", request.ToJsonString()));
        }

        foreach (var start in starts)
        {
            Assert.Empty((await TestApi.Expect(start, 202))["ignored_mappings"]!.AsArray());
        }
    }

    [Fact]
    public async Task An_authenticated_caller_without_an_ou_is_403_and_an_anonymous_one_401()
    {
        // CONTRACT §1: every endpoint, this one too.
        await using var api = await TestApi.StartAsync(runJobs: false);
        using var noOu = new HttpRequestMessage(HttpMethod.Get, "/leads/import/settings");
        noOu.Headers.Add("X-Test-Ou", "none");
        api.Client.DefaultRequestHeaders.Remove("X-Test-Ou");

        await TestApi.ExpectProblem(await api.Client.SendAsync(noOu), 403);
        await TestApi.ExpectProblem(await api.Client.GetAsync("/leads/import/settings"), 401);
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(v => v!.GetValue<string>())];
}
