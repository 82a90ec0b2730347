using Microsoft.AspNetCore.Builder;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// The API under a route group, and mapped twice (issue 11): links come from each endpoint's final route through
/// <c>LinkGenerator</c>, and endpoint names from the final pattern, so every mapping works and links within itself.
/// </summary>
public class RouteGroupTests
{
    private const string Csv = "Email,First Name\nann@x.com,Ann\n";

    [Fact]
    public async Task Under_a_group_preview_and_start_answer_and_the_location_gets_the_job()
    {
        await using var api = await TestApi.StartAsync(runJobs: false, mapLeadImport: app => app.MapGroup("/api").MapLeadImport());

        var preview = await api.PreviewAsync(Csv, "/api/leads/import");
        var start = await api.PostJsonAsync("/api/leads/import/start", TestApi.WithFileId(TestApi.ByEmail, preview["file_id"]!.ToString()));
        var started = await TestApi.Expect(start, 202);
        var job = await TestApi.Expect(await api.Client.GetAsync(start.Headers.Location), 200);
        var outsideTheGroup = await api.Client.GetAsync("/leads/import/jobs");

        Assert.Equal($"/api/leads/import/jobs/{started["job_id"]}", start.Headers.Location!.ToString());
        Assert.Equal(started["job_id"]!.ToString(), job["job_id"]!.ToString());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, outsideTheGroup.StatusCode);
    }

    [Fact]
    public async Task Under_a_group_a_second_start_is_409_whose_location_gets_the_first_job()
    {
        await using var api = await TestApi.StartAsync(runJobs: false, mapLeadImport: app => app.MapGroup("/api").MapLeadImport());
        var preview = await api.PreviewAsync(Csv, "/api/leads/import");
        var request = TestApi.WithFileId(TestApi.ByEmail, preview["file_id"]!.ToString());
        var first = await TestApi.Expect(await api.PostJsonAsync("/api/leads/import/start", request), 202);

        var second = await api.PostJsonAsync("/api/leads/import/start", request);

        await TestApi.ExpectProblem(second, 409);
        var job = await TestApi.Expect(await api.Client.GetAsync(second.Headers.Location), 200);
        Assert.Equal(first["job_id"]!.ToString(), job["job_id"]!.ToString());
    }

    [Fact]
    public async Task The_location_holds_the_requests_path_base()
    {
        await using var api = await TestApi.StartAsync(runJobs: false, mapLeadImport: app =>
        {
            app.UsePathBase("/tenant");
            app.UseRouting();
            app.MapLeadImport();
        });

        var preview = await api.PreviewAsync(Csv, "/tenant/leads/import");
        var start = await api.PostJsonAsync("/tenant/leads/import/start", TestApi.WithFileId(TestApi.ByEmail, preview["file_id"]!.ToString()));
        var started = await TestApi.Expect(start, 202);

        Assert.Equal($"/tenant/leads/import/jobs/{started["job_id"]}", start.Headers.Location!.ToString());
        await TestApi.Expect(await api.Client.GetAsync(start.Headers.Location), 200);
    }

    [Fact]
    public async Task Mapped_twice_the_app_starts_and_each_mapping_links_within_itself()
    {
        await using var api = await TestApi.StartAsync(runJobs: false, mapLeadImport: app =>
        {
            app.MapGroup("/a").MapLeadImport();
            app.MapGroup("/b").MapLeadImport("/imports");
        });

        foreach (var prefix in new[] { "/a/leads/import", "/b/imports" })
        {
            var preview = await api.PreviewAsync(Csv, prefix);
            var start = await api.PostJsonAsync($"{prefix}/start", TestApi.WithFileId(TestApi.ByEmail, preview["file_id"]!.ToString()));
            var started = await TestApi.Expect(start, 202);
            var job = await TestApi.Expect(await api.Client.GetAsync(start.Headers.Location), 200);

            Assert.Equal($"{prefix}/jobs/{started["job_id"]}", start.Headers.Location!.ToString());
            Assert.Equal(started["job_id"]!.ToString(), job["job_id"]!.ToString());
        }
    }
}
