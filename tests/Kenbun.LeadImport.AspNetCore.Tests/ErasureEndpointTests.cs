using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>The extra erasure endpoints: mapped only when a host asks, forgetting a person by an identifier in a JSON body, deleting the caller's OU.</summary>
public class ErasureEndpointTests
{
    private const string Csv = "Email,Name,Phone\nann@x.com,Ann,+1 415 555 0100\nbob@x.com,Bob,+1 415 555 0100\nnot-an-email,Ann again,+1 (415) 555-0100\n";

    private const string WithPhones =
        """{"primary_identifier":{"column":"Email","kind":"email"},"field_mappings":{"Name":"first_name"},"alias_mappings":{"Phone":"_alias_phone"}}""";

    private const string ForgetAnn = """{"kind":"EMAIL","value":" Ann@X.com "}""";

    [Fact]
    public async Task MapLeadImport_alone_maps_no_erasure_endpoint()
    {
        await using var api = await TestApi.StartAsync(runJobs: false);

        Assert.Equal(HttpStatusCode.NotFound, (await api.PostJsonAsync("/leads/import/erasure", ForgetAnn)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.DeleteAsync("/leads/import/ou-data")).StatusCode);
    }

    [Fact]
    public async Task Forgetting_answers_what_went_and_the_job_no_longer_shows_the_persons_rows()
    {
        await using var api = await StartAsync();
        var jobId = await ImportAsync(api);

        var forgotten = await TestApi.Expect(await api.PostJsonAsync("/leads/import/erasure", ForgetAnn), 200);
        var again = await TestApi.ExpectProblem(await api.PostJsonAsync("/leads/import/erasure", ForgetAnn), 404);
        var job = await TestApi.Expect(await api.Client.GetAsync($"/leads/import/jobs/{jobId}"), 200);

        Assert.StartsWith("lead_", forgotten["lead_id"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal((2, 1, 1), ((int)forgotten["identifiers_deleted"]!, (int)forgotten["errors_deleted"]!, (int)forgotten["warnings_deleted"]!));
        Assert.Empty(job["errors"]!.AsArray());
        Assert.Empty(job["warnings"]!.AsArray());
        Assert.Equal((2, 1), ((int)job["created_count"]!, (int)job["failed_count"]!));
        Assert.DoesNotContain("ann@x.com", again.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("""{"kind":"fax","value":"ann@x.com"}""", "kind")]
    [InlineData("""{"value":"ann@x.com"}""", "kind")]
    [InlineData("""{"kind":"email","value":"not-an-email"}""", "value")]
    [InlineData("""{"kind":"email"}""", "value")]
    [InlineData("""{"kind":1,"value":["ann@x.com"]}""", "kind,value")]
    [InlineData("""["email","ann@x.com"]""", "body")]
    [InlineData("""{"kind":""", "body")]
    [InlineData("""{"kind":"email","value":"ann@x.com","value":"bob@x.com"}""", "body")]
    [InlineData("""{"kind":"email","value":"ann@x.com"} {"kind":"email","value":"bob@x.com"}""", "body")]
    public async Task A_request_that_names_no_valid_identifier_is_400_naming_what_is_wrong_without_echoing_it(string body, string wrong)
    {
        await using var api = await StartAsync();

        var problem = await TestApi.ExpectProblem(await api.PostJsonAsync("/leads/import/erasure", body), 400);

        Assert.Equal(wrong.Split(','), problem["errors"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("ann@x.com", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-an-email", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_larger_than_an_erasure_request_can_be_is_413_without_echoing_it()
    {
        await using var api = await StartAsync();
        var value = new string('a', 20 * 1024) + "@x.com";

        var response = await api.PostJsonAsync("/leads/import/erasure", $$"""{"kind":"email","value":"{{value}}"}""");

        var problem = await TestApi.ExpectProblem(response, 413);
        Assert.Equal("Erasure request too large", problem["title"]!.ToString());
        Assert.DoesNotContain("aaaa", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_problem_not_an_empty_415()
    {
        await using var api = await StartAsync();

        var problem = await TestApi.ExpectProblem(
            await api.Client.PostAsync("/leads/import/erasure", new StringContent("kind=email&value=ann@x.com", Encoding.UTF8, "application/x-www-form-urlencoded")), 400);

        Assert.Equal(["body"], problem["errors"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Deleting_the_ou_data_answers_the_counts_leaves_other_ous_and_twice_is_fine()
    {
        await using var api = await StartAsync();
        await ImportAsync(api);
        await api.PreviewAsync(Csv);
        SwitchOu(api, "ou-b");
        var theirJob = await ImportAsync(api);
        SwitchOu(api, TestApi.Ou);

        var deleted = await TestApi.Expect(await api.Client.DeleteAsync("/leads/import/ou-data"), 200);
        var again = await TestApi.Expect(await api.Client.DeleteAsync("/leads/import/ou-data"), 200);

        Assert.Equal(
            """{"leads_deleted":2,"identifiers_deleted":3,"jobs_deleted":1,"files_deleted":1}""",
            deleted.ToJsonString());
        Assert.Equal("""{"leads_deleted":0,"identifiers_deleted":0,"jobs_deleted":0,"files_deleted":0}""", again.ToJsonString());
        Assert.Equal(0, (int)(await TestApi.Expect(await api.Client.GetAsync("/leads/import/jobs"), 200))["total"]!);
        SwitchOu(api, "ou-b");
        await TestApi.Expect(await api.Client.GetAsync($"/leads/import/jobs/{theirJob}"), 200);
    }

    [Theory]
    [InlineData(null, 401)]
    [InlineData("none", 403)]
    public async Task A_caller_without_an_ou_gets_401_or_403_from_both(string? ou, int status)
    {
        await using var api = await StartAsync();
        SwitchOu(api, ou);

        await TestApi.ExpectProblem(await api.PostJsonAsync("/leads/import/erasure", ForgetAnn), status);
        await TestApi.ExpectProblem(await api.Client.DeleteAsync("/leads/import/ou-data"), status);
    }

    [Fact]
    public async Task The_host_secures_the_erasure_endpoints_apart_from_the_import()
    {
        await using var api = await TestApi.StartAsync(
            runJobs: false,
            host: b => b.Services.AddAuthorizationBuilder().AddPolicy("lead-admin", policy => policy.RequireClaim("role", "admin")),
            endpoints: app =>
            {
                app.UseAuthorization();
                app.MapLeadImportErasure().RequireAuthorization("lead-admin");
            });

        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostJsonAsync("/leads/import/erasure", ForgetAnn)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Client.DeleteAsync("/leads/import/ou-data")).StatusCode);
        await TestApi.Expect(await api.Client.GetAsync("/leads/import/jobs"), 200);
    }

    [Fact]
    public async Task Erasure_logs_ids_and_counts_and_never_the_persons_values()
    {
        var logged = new ConcurrentQueue<(LogLevel, string)>();
        await using var api = await TestApi.StartAsync(
            host: b => b.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new RecordingLoggerProvider(logged)),
            endpoints: app => app.MapLeadImportErasure());
        await ImportAsync(api);
        logged.Clear();

        await TestApi.Expect(await api.PostJsonAsync("/leads/import/erasure", ForgetAnn), 200);
        await TestApi.Expect(await api.Client.DeleteAsync("/leads/import/ou-data"), 200);

        var messages = logged.Select(entry => entry.Item2).ToList();
        Assert.Contains(messages, m => m.Contains("Forgot lead lead_", StringComparison.Ordinal) && m.Contains("2 identifiers", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Deleted everything of OU ou-a: 1 leads", StringComparison.Ordinal));
        // The phone in each form it was written and stored; a bare "555" also matched request timings (e.g. "12.5551ms").
        string[] phone = ["4155550100", "415 555 0100", "(415) 555-0100"];
        Assert.DoesNotContain(messages, m => m.Contains("ann@x.com", StringComparison.OrdinalIgnoreCase) || phone.Any(p => m.Contains(p, StringComparison.Ordinal)));
    }

    private static Task<TestApi> StartAsync() => TestApi.StartAsync(endpoints: app => app.MapLeadImportErasure());

    /// <summary>Imports <see cref="Csv"/> into the client's OU and waits for the job; returns its id.</summary>
    private static async Task<string> ImportAsync(TestApi api)
    {
        var jobId = (await api.StartAsync(Csv, WithPhones))["job_id"]!.ToString();
        Assert.Equal("completed", (await api.WaitForJobAsync(jobId))["status"]!.ToString());
        return jobId;
    }

    /// <summary>Makes the client's later requests act for <paramref name="ou"/> (<see langword="null"/>: anonymous).</summary>
    private static void SwitchOu(TestApi api, string? ou)
    {
        api.Client.DefaultRequestHeaders.Remove("X-Test-Ou");
        if (ou is not null)
        {
            api.Client.DefaultRequestHeaders.Add("X-Test-Ou", ou);
        }
    }
}
