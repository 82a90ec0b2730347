using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Kenbun.LeadImport.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary><c>POST /leads/import/start</c>: 202 with Location, every 400 cause, 404, 409 (CONTRACT §3, §7).</summary>
public class StartEndpointTests : IAsyncLifetime
{
    private const string Csv = "Email,First Name,Phone\nann@x.com,Ann,+1 555 010 0000\n";

    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync(fakeTime: true, runJobs: false);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_valid_start_is_202_with_the_jobs_location_and_ignored_mappings()
    {
        var preview = await _api.PreviewAsync(Csv);
        var body = """{"primary_identifier":{"column":"Email","kind":"email"},"field_mappings":{"First Name":"FIRST_NAME","Job Title":"title","Phone":"shoe_size"}}""";

        var response = await _api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(body, preview["file_id"]!.ToString()));

        var started = await TestApi.Expect(response, 202);
        Assert.Equal($"/leads/import/jobs/{started["job_id"]}", response.Headers.Location!.ToString());
        Assert.Equal("queued", started["status"]!.ToString());
        Assert.Equal("Import job started", started["message"]!.ToString());
        Assert.Equal(1, (int)started["total_rows"]!);
        Assert.Equal(
            """[{"column":"Job Title","target":"title","reason":"unknown_column"},{"column":"Phone","target":"shoe_size","reason":"unknown_field"}]""",
            started["ignored_mappings"]!.ToJsonString());
    }

    [Fact]
    public async Task Every_problem_is_a_400_at_once_keyed_by_request_path()
    {
        // CONTRACT §3 (step 4): a bad kind, alias target or mode no longer hides a wrong column or a field mapped twice.
        var preview = await _api.PreviewAsync(Csv);
        var body = """{"primary_identifier":{"column":"Mail","kind":"fax"},"field_mappings":{"First Name":"first_name","Phone":"First_Name"},"alias_mappings":{"Phone":"_alias_fax","Tel. (mobile)":"_alias_phone"},"mode":"merge","default_phone_region":"UK"}""";

        var problem = await TestApi.ExpectProblem(await _api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(body, preview["file_id"]!.ToString())), 400);

        var errors = problem["errors"]!.AsObject();
        Assert.Equal(
            ["alias_mappings.Phone", "default_phone_region", "field_mappings.Phone", "mode", "primary_identifier.column", "primary_identifier.kind"],
            errors.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("\"UK\" is not a region code; use an ISO 3166 alpha-2 code such as US, GB or DE.", errors["default_phone_region"]![0]!.ToString());
        Assert.Contains("\"Mail\" is not a column of the file", errors["primary_identifier.column"]![0]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"First Name\" and \"Phone\"", errors["field_mappings.Phone"]![0]!.ToString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.ToString()));
    }

    [Fact]
    public async Task A_column_name_with_other_characters_is_keyed_in_brackets()
    {
        var preview = await _api.PreviewAsync(Csv);
        var body = """{"primary_identifier":{"column":"Email","kind":"email"},"alias_mappings":{"Tel. (mobile)":"_alias_fax"}}""";

        var problem = await TestApi.ExpectProblem(await _api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(body, preview["file_id"]!.ToString())), 400);

        Assert.True(problem["errors"]!.AsObject().ContainsKey("alias_mappings['Tel. (mobile)']"), problem.ToJsonString());
    }

    [Fact]
    public async Task A_request_with_a_known_file_but_no_primary_identifier_is_400()
    {
        var preview = await _api.PreviewAsync(Csv);

        var problem = await TestApi.ExpectProblem(await _api.PostJsonAsync("/leads/import/start", TestApi.WithFileId("""{"mode":"upsert"}""", preview["file_id"]!.ToString())), 400);

        Assert.Equal(["primary_identifier"], problem["errors"]!.AsObject().Select(p => p.Key));
    }

    [Theory]
    [InlineData("{}", "file_id")]
    [InlineData("""{"file_id":123}""", "file_id")]
    [InlineData("""{"file_id":"preview_x","primary_identifier":"Email"}""", "primary_identifier")]
    [InlineData("""{"file_id":"preview_x","primary_identifier":{"column":1,"kind":"email"}}""", "primary_identifier.column")]
    [InlineData("""{"file_id":"preview_x","field_mappings":["first_name"]}""", "field_mappings")]
    [InlineData("""{"file_id":"preview_x","field_mappings":{"First Name":{"field":"first_name"}}}""", "field_mappings.First Name")]
    [InlineData("""{"file_id":"preview_x","alias_mappings":{"Tel. (mobile)":true}}""", "alias_mappings['Tel. (mobile)']")]
    [InlineData("""{"file_id":"preview_x","dry_run":"yes"}""", "dry_run")]
    [InlineData("""{"file_id":"preview_x","mode":7}""", "mode")]
    [InlineData("""{"file_id":"preview_x","default_phone_region":1}""", "default_phone_region")]
    [InlineData("not json", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("""{"file_id":"preview_x"} trailing""", "body")]
    [InlineData("""{"file_id":"preview_x"}{"file_id":"preview_y"}""", "body")]
    [InlineData("""{"file_id":"preview_x","file_id":"preview_y"}""", "body")]
    [InlineData("""{"file_id":"preview_x","field_mappings":{"Company":"company","Company":"notes"}}""", "body")]
    public async Task Missing_file_id_and_json_of_the_wrong_shape_are_400_keyed_by_path(string body, string key)
    {
        // CONTRACT §3 (step 1): said in the client's terms, never with a .NET type name.
        var response = await _api.PostJsonAsync("/leads/import/start", body);
        var text = await response.Content.ReadAsStringAsync();

        var problem = await TestApi.ExpectProblem(response, 400);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(key), problem.ToJsonString());
        Assert.DoesNotContain("Kenbun.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("`", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_after_a_utf8_byte_order_mark_is_read()
    {
        var response = await _api.PostJsonAsync("/leads/import/start", "\uFEFF" + """{"file_id":"preview_AAAAAAAAAAAAAAAAAAAAAA","primary_identifier":{"column":"Email","kind":"email"}}""");

        await TestApi.ExpectProblem(response, 404);
    }

    [Fact]
    public async Task Every_value_of_the_wrong_type_is_named_at_once()
    {
        var body = """{"file_id":7,"field_mappings":"First Name","alias_mappings":{"Phone":["_alias_phone"]},"dry_run":1}""";

        var problem = await TestApi.ExpectProblem(await _api.PostJsonAsync("/leads/import/start", body), 400);

        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["alias_mappings.Phone", "dry_run", "field_mappings", "file_id"], errors.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("field_mappings must be an object of column → field names, e.g. {\"First Name\": \"first_name\"}.", errors["field_mappings"]![0]!.ToString());
    }

    [Fact]
    public async Task Kinds_alias_targets_and_modes_are_accepted_in_any_case_and_echoed_in_lower_case()
    {
        var body = """{"primary_identifier":{"column":"Email","kind":"EMAIL"},"alias_mappings":{"Phone":"_ALIAS_Phone"},"mode":"Create_Only"}""";

        var started = await _api.StartAsync(Csv, body);

        var job = await TestApi.Expect(await _api.Client.GetAsync($"/leads/import/jobs/{started["job_id"]}"), 200);
        Assert.Equal("email", job["primary_identifier"]!["kind"]!.ToString());
        Assert.Equal("_alias_phone", job["alias_mappings"]!["Phone"]!.ToString());
        Assert.Equal("create_only", job["mode"]!.ToString());
    }

    [Fact]
    public async Task The_phone_region_of_the_request_is_echoed_in_the_job_in_upper_case()
    {
        var started = await _api.StartAsync(Csv, """{"primary_identifier":{"column":"Email","kind":"email"},"default_phone_region":"gb"}""");

        var job = await TestApi.Expect(await _api.Client.GetAsync($"/leads/import/jobs/{started["job_id"]}"), 200);
        Assert.Equal("GB", job["default_phone_region"]!.ToString());
    }

    [Fact]
    public async Task Without_a_region_in_the_request_the_job_reads_phones_in_the_hosts_default_region()
    {
        await using var api = await TestApi.StartAsync(o => o.DefaultPhoneRegion = "us", fakeTime: true, runJobs: false);
        var byDefault = await api.StartAsync(Csv, """{"primary_identifier":{"column":"Email","kind":"email"}}""");
        var overridden = await api.StartAsync(Csv, """{"primary_identifier":{"column":"Email","kind":"email"},"default_phone_region":"DE"}""");

        Assert.Equal("US", (await TestApi.Expect(await api.Client.GetAsync($"/leads/import/jobs/{byDefault["job_id"]}"), 200))["default_phone_region"]!.ToString());
        Assert.Equal("DE", (await TestApi.Expect(await api.Client.GetAsync($"/leads/import/jobs/{overridden["job_id"]}"), 200))["default_phone_region"]!.ToString());
    }

    [Fact]
    public async Task Without_any_region_the_job_says_none()
    {
        var started = await _api.StartAsync(Csv, """{"primary_identifier":{"column":"Email","kind":"email"}}""");

        var job = await TestApi.Expect(await _api.Client.GetAsync($"/leads/import/jobs/{started["job_id"]}"), 200);
        Assert.True(job.AsObject().ContainsKey("default_phone_region"));
        Assert.Null(job["default_phone_region"]);
    }

    [Fact]
    public async Task A_start_body_over_the_limit_is_413()
    {
        await using var api = await TestApi.StartAsync(runJobs: false, host: b => b.Services.Configure<LeadImportHttpOptions>(o => o.MaxStartRequestBytes = 100));
        using var refused = new MetricCollector<long>(api.Services.GetRequiredService<IMeterFactory>(), LeadImportTelemetry.Name, "leadimport.requests.refused");
        var body = TestApi.WithFileId(TestApi.ByEmail, ImportIds.NewFileId())[..^1] + ",\"mode\":\"" + new string('x', 100) + "\"}";

        var problem = await TestApi.ExpectProblem(await api.PostJsonAsync("/leads/import/start", body), 413);

        Assert.Contains("100 bytes", problem["detail"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(413, Assert.Single(refused.GetMeasurementSnapshot()).Tags["http.response.status_code"]);
    }

    [Fact]
    public async Task More_mappings_than_columns_allowed_is_400_keyed_by_the_object()
    {
        await using var api = await TestApi.StartAsync(o => o.MaxColumns = 3, runJobs: false);
        var preview = await api.PreviewAsync(Csv);
        var body = """{"primary_identifier":{"column":"Email","kind":"email"},"field_mappings":{"a":"first_name","b":"last_name","c":"company","d":"title"}}""";

        var problem = await TestApi.ExpectProblem(await api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(body, preview["file_id"]!.ToString())), 400);

        Assert.Equal(["field_mappings"], problem["errors"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task A_body_without_a_json_content_type_is_400_not_an_empty_415()
    {
        var plain = await _api.Client.PostAsync("/leads/import/start", new StringContent("""{"file_id":"x"}""", System.Text.Encoding.UTF8, "text/plain"));
        var none = await _api.Client.PostAsync("/leads/import/start", new ByteArrayContent("""{"file_id":"x"}"""u8.ToArray()));

        await TestApi.ExpectProblem(plain, 400);
        Assert.Contains("Content-Type: application/json", (await TestApi.ExpectProblem(none, 400))["errors"]!["body"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_expired_and_other_ous_files_are_404()
    {
        var preview = await _api.PreviewAsync(Csv);
        var request = TestApi.WithFileId(TestApi.ByEmail, preview["file_id"]!.ToString());
        using var otherOu = new HttpRequestMessage(HttpMethod.Post, "/leads/import/start") { Content = new StringContent(request, System.Text.Encoding.UTF8, "application/json") };
        otherOu.Headers.Add("X-Test-Ou", "ou-b");

        var unknown = await _api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(TestApi.ByEmail, ImportIds.NewFileId()));
        var foreign = await _api.Client.SendAsync(otherOu);
        _api.Time!.Advance(TimeSpan.FromHours(1));
        var expired = await _api.PostJsonAsync("/leads/import/start", request);

        await TestApi.ExpectProblem(unknown, 404);
        await TestApi.ExpectProblem(foreign, 404);
        Assert.Contains("expired (previews last 1 hour)", (await TestApi.ExpectProblem(expired, 404))["detail"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_404_names_the_preview_lifetime_the_host_configured()
    {
        await using var api = await TestApi.StartAsync(o => o.PreviewLifetime = TimeSpan.FromMinutes(10), runJobs: false);

        var response = await api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(TestApi.ByEmail, ImportIds.NewFileId()));

        Assert.Contains("(previews last 10 minutes)", (await TestApi.ExpectProblem(response, 404))["detail"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_start_of_one_file_is_409_with_the_location_of_the_first_job()
    {
        var preview = await _api.PreviewAsync(Csv);
        var request = TestApi.WithFileId(TestApi.ByEmail, preview["file_id"]!.ToString());
        var first = await TestApi.Expect(await _api.PostJsonAsync("/leads/import/start", request), 202);

        var second = await _api.PostJsonAsync("/leads/import/start", request);

        await TestApi.ExpectProblem(second, 409);
        Assert.Equal($"/leads/import/jobs/{first["job_id"]}", second.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Dry_runs_do_not_use_the_file_up_and_a_dry_run_after_the_real_import_is_409()
    {
        // CONTRACT §3, dry runs: any number until the real import starts; after it, a 409.
        var preview = await _api.PreviewAsync(Csv);
        var dryRun = TestApi.WithFileId("""{"primary_identifier":{"column":"Email","kind":"email"},"dry_run":true}""", preview["file_id"]!.ToString());
        var real = TestApi.WithFileId(TestApi.ByEmail, preview["file_id"]!.ToString());

        await TestApi.Expect(await _api.PostJsonAsync("/leads/import/start", dryRun), 202);
        await TestApi.Expect(await _api.PostJsonAsync("/leads/import/start", dryRun), 202);
        var started = await TestApi.Expect(await _api.PostJsonAsync("/leads/import/start", real), 202);
        var lateDryRun = await _api.PostJsonAsync("/leads/import/start", dryRun);

        await TestApi.ExpectProblem(lateDryRun, 409);
        Assert.Equal($"/leads/import/jobs/{started["job_id"]}", lateDryRun.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_queued_job_quota_is_429()
    {
        await using var api = await TestApi.StartAsync(o => o.MaxQueuedJobsPerOu = 1, runJobs: false);
        await api.StartAsync(Csv);

        var preview = await api.PreviewAsync(Csv);
        var response = await api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(TestApi.ByEmail, preview["file_id"]!.ToString()));

        await TestApi.ExpectProblem(response, 429);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task The_hosts_camel_case_json_settings_leave_our_snake_case_alone()
    {
        await using var api = await TestApi.StartAsync(
            host: b => b.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase),
            endpoints: app => app.MapGet("/host", () => new { SomeValue = 1 }));

        var preview = await api.PreviewAsync(Csv);
        var host = JsonNode.Parse(await api.Client.GetStringAsync("/host"))!.AsObject();

        Assert.True(preview.ContainsKey("file_id") && preview.ContainsKey("sample_rows"));
        Assert.True(host.ContainsKey("someValue"));
    }
}
