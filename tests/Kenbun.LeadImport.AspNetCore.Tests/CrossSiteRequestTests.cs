using System.Net;
using System.Text.Json.Nodes;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// A browser sends its cookies with a form another site posts, but lets no other site add a custom header: a request
/// that changes something, authenticated by a cookie alone, must carry <c>X-Requested-With</c> (docs/security.md).
/// </summary>
public sealed class CrossSiteRequestTests
{
    [Fact]
    public async Task A_cookie_request_without_the_header_is_refused_with_403_and_changes_nothing()
    {
        await using var api = await TestApi.StartAsync(runJobs: false);
        var jobId = await QueuedJobAsync(api);

        var cancel = await SendAsync(api, HttpMethod.Post, $"/leads/import/jobs/{jobId}/cancel", ("Cookie", "session=abc"));
        var upload = new HttpRequestMessage(HttpMethod.Post, "/leads/import/preview") { Content = TestApi.CsvUpload("Email\nann@example.com\n") };
        upload.Headers.Add("Cookie", "session=abc");
        var preview = await api.Client.SendAsync(upload);

        Assert.Equal("Cross-site request refused", (await TestApi.ExpectProblem(cancel, 403))["title"]!.ToString());
        Assert.Contains("X-Requested-With", (await TestApi.ExpectProblem(preview, 403))["detail"]!.ToString(), StringComparison.Ordinal);
        var job = JsonNode.Parse(await api.Client.GetStringAsync($"/leads/import/jobs/{jobId}"))!;
        Assert.Equal("queued", job["status"]!.ToString());
        Assert.False((bool)job["cancel_requested"]!);
    }

    [Theory]
    [InlineData("X-Requested-With", "LeadImport")]
    [InlineData("Authorization", "Bearer a-token")]
    public async Task A_cookie_request_with_the_header_or_an_authorization_passes(string header, string value)
    {
        await using var api = await TestApi.StartAsync(runJobs: false);
        var jobId = await QueuedJobAsync(api);

        var cancel = await SendAsync(api, HttpMethod.Post, $"/leads/import/jobs/{jobId}/cancel", ("Cookie", "session=abc"), (header, value));

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", JsonNode.Parse(await cancel.Content.ReadAsStringAsync())!["status"]!.ToString());
    }

    [Fact]
    public async Task Reading_with_a_cookie_needs_no_header()
    {
        await using var api = await TestApi.StartAsync(runJobs: false);

        var list = await SendAsync(api, HttpMethod.Get, "/leads/import/jobs", ("Cookie", "session=abc"));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    private static async Task<string> QueuedJobAsync(TestApi api) => (await api.StartAsync("Email\nann@example.com\n"))["job_id"]!.ToString();

    private static Task<HttpResponseMessage> SendAsync(TestApi api, HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return api.Client.SendAsync(request);
    }
}
