using System.Text.RegularExpressions;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>How a host adds the API: fail fast without AddLeadImport, OpenAPI, the sample's dev tokens and lead reads.</summary>
public sealed class HostingTests : IDisposable
{
    /// <summary>The sample's database and uploads of this test, deleted after it.</summary>
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kenbun-sample-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Mapping_without_AddLeadImport_says_what_to_call()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapLeadImport());

        Assert.Contains("AddLeadImport()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_names_every_endpoint_with_snake_case_schemas()
    {
        await using var api = await TestApi.StartAsync(
            host: b =>
            {
                b.Services.AddOpenApi();
                b.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
            },
            endpoints: app => app.MapOpenApi());

        var document = JsonNode.Parse(await api.Client.GetStringAsync("/openapi/v1.json"))!;

        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => o.Value!["operationId"]?.ToString())).ToList();
        Assert.Equivalent(
            new[]
            {
                "LeadImportPreview-/leads/import/preview", "LeadImportStart-/leads/import/start", "LeadImportListJobs-/leads/import/jobs",
                "LeadImportGetJob-/leads/import/jobs/{jobId}", "LeadImportCancelJob-/leads/import/jobs/{jobId}/cancel", "LeadImportDeleteJob-/leads/import/jobs/{jobId}",
                "LeadImportListJobErrors-/leads/import/jobs/{jobId}/errors", "LeadImportFailedRows-/leads/import/jobs/{jobId}/failed-rows.csv",
            },
            operations);
        var schemas = document["components"]!["schemas"]!.AsObject();
        Assert.True(schemas["PreviewResponse"]!["properties"]!.AsObject().ContainsKey("file_id"));
        Assert.True(schemas["JobDetailResponse"]!["properties"]!.AsObject().ContainsKey("created_count"));
        Assert.False(schemas["JobDetailResponse"]!["properties"]!.AsObject().ContainsKey("createdCount"));
    }

    [Fact]
    public async Task The_sample_answers_401_without_a_known_token_and_runs_the_whole_flow_with_one_reading_phones_as_US_numbers()
    {
        await using var factory = Sample(_folder);
        using var client = factory.CreateClient();

        var health = await client.GetStringAsync("/health");
        var anonymous = await client.GetAsync("/leads/import/jobs");
        client.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        var unknown = await client.GetAsync("/leads/import/jobs");
        client.DefaultRequestHeaders.Authorization = new("Bearer", "dev-token-acme");
        var content = TestApi.CsvUpload("Email,First Name,Phone\nAnn@X.com,Ann,(415) 555-0100\n");
        var preview = JsonNode.Parse(await (await client.PostAsync("/leads/import/preview", content)).Content.ReadAsStringAsync())!;
        var start = await client.PostAsync("/leads/import/start", new StringContent(
            TestApi.WithFileId("""{"primary_identifier":{"column":"Email","kind":"email"},"field_mappings":{"First Name":"first_name"},"alias_mappings":{"Phone":"_alias_phone"}}""", preview["file_id"]!.ToString()),
            System.Text.Encoding.UTF8,
            "application/json"));
        var jobId = JsonNode.Parse(await start.Content.ReadAsStringAsync())!["job_id"]!.ToString();
        for (var i = 0; i < 300 && !(await client.GetStringAsync($"/leads/import/jobs/{jobId}")).Contains("\"completed\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(10);
        }

        var lead = JsonNode.Parse(await client.GetStringAsync("/leads/lookup?kind=email&value=%20ANN@x.COM"))!;
        var byPhone = JsonNode.Parse(await client.GetStringAsync("/leads/lookup?kind=phone&value=415.555.0100"))!;
        var job = JsonNode.Parse(await client.GetStringAsync($"/leads/import/jobs/{jobId}"))!;
        var list = JsonNode.Parse(await client.GetStringAsync("/leads?page=1&limit=10"))!;
        client.DefaultRequestHeaders.Authorization = new("Bearer", "dev-token-globex");
        var otherOu = await client.GetAsync("/leads/lookup?kind=email&value=ann@x.com");

        Assert.Equal("Healthy", health);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal("Ann", lead["fields"]!["first_name"]!.ToString());
        Assert.Equal(
            [("email", "ann@x.com"), ("phone", "+14155550100")],
            lead["identifiers"]!.AsArray().Select(i => (i!["kind"]!.ToString(), i["value"]!.ToString())));
        Assert.Equal(lead["lead_id"]!.ToString(), byPhone["lead_id"]!.ToString());
        Assert.Equal("US", job["default_phone_region"]!.ToString());
        Assert.Equal(1, (int)list["total"]!);
        Assert.Equal(HttpStatusCode.NotFound, otherOu.StatusCode);
        Assert.True(File.Exists(Path.Combine(_folder, "leads.db")), "The sample keeps its data in the configured SQLite database.");
    }

    [Fact]
    public async Task The_sample_serves_an_api_reference_page_at_docs_in_development_from_its_own_files_with_the_bearer_scheme()
    {
        await using var factory = Sample(_folder);
        using var client = factory.CreateClient();

        var page = await client.GetStringAsync("/docs/v1");
        var script = await client.GetAsync("/docs/scalar.js");
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        Assert.Contains("<script src=\"scalar.js\"></script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.ToString());
        Assert.Equal([new JsonObject { ["Bearer"] = new JsonArray() }.ToJsonString()], [document["paths"]!["/leads/import/jobs"]!["get"]!["security"]![0]!.ToJsonString()]);
    }

    [Fact]
    public async Task The_sample_signs_a_browser_in_with_an_http_only_same_site_strict_cookie_and_scripts_still_get_401_not_a_redirect()
    {
        await using var factory = Sample(_folder);
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var page = await client.GetAsync("/leads/import/ui/");
        var api = await client.GetAsync("/leads/import/jobs");
        var form = await client.GetStringAsync(page.Headers.Location!.PathAndQuery);
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var signIn = await client.PostAsync("/dev/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["name"] = "Ana Lima", ["ou"] = "ou-acme", ["returnUrl"] = "/leads/import/ui/",
        }));
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("leadimport.dev=", StringComparison.Ordinal));
        var afterwards = await client.GetAsync("/leads/import/ui/");
        var jobs = await client.GetAsync("/leads/import/jobs");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/dev/sign-in", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/leads/import/ui/", signIn.Headers.Location!.OriginalString);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
    }

    /// <summary>The sample host in Development, on a SQLite database in <paramref name="folder"/>.</summary>
    private static WebApplicationFactory<Program> Sample(string folder) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseEnvironment("Development")
            .UseSetting("ConnectionStrings:LeadImport", $"Data Source={Path.Combine(folder, "leads.db")}"));
}
