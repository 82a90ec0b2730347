using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task Every_problem_is_a_400_with_errors_keyed_by_request_path()
    {
        var preview = await _api.PreviewAsync(Csv);
        var body = """{"primary_identifier":{"column":"Mail","kind":"fax"},"field_mappings":{"First Name":"first_name","Phone":"First_Name"},"alias_mappings":{"Phone":"_alias_fax"},"mode":"merge"}""";

        var problem = await TestApi.ExpectProblem(await _api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(body, preview["file_id"]!.ToString())), 400);

        var keys = problem["errors"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["alias_mappings.Phone", "mode", "primary_identifier.kind"], keys);
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.ToString()));
    }

    [Fact]
    public async Task Header_problems_are_reported_once_the_request_is_well_formed()
    {
        var preview = await _api.PreviewAsync(Csv);
        var body = """{"primary_identifier":{"column":"Mail","kind":"email"},"field_mappings":{"First Name":"first_name","Phone":"First_Name"}}""";

        var problem = await TestApi.ExpectProblem(await _api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(body, preview["file_id"]!.ToString())), 400);

        var errors = problem["errors"]!.AsObject();
        Assert.Contains("\"Mail\" is not a column of the file", errors["primary_identifier.column"]![0]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"First Name\" and \"Phone\"", errors["field_mappings.Phone"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "file_id")]
    [InlineData("""{"file_id":"preview_x"}""", "primary_identifier")]
    [InlineData("""{"file_id":"preview_x","primary_identifier":{"kind":"email"}}""", "primary_identifier.column")]
    [InlineData("""{"file_id":123}""", "file_id")]
    [InlineData("not json", "body")]
    public async Task Missing_fields_and_bad_json_are_400(string body, string key)
    {
        var problem = await TestApi.ExpectProblem(await _api.PostJsonAsync("/leads/import/start", body), 400);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(key), problem.ToJsonString());
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
        Assert.Contains("expired", (await TestApi.ExpectProblem(expired, 404))["detail"]!.ToString(), StringComparison.Ordinal);
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
