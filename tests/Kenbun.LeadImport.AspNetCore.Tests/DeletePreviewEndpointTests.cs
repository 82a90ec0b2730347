using System.Text.Json.Nodes;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// *Extra* <c>DELETE /previews/{fileId}</c>: 204 for a preview the caller's OU may still import, which goes with its place
/// in the quota; 404 for anything else, exactly as for an id that never existed (CONTRACT §1).
/// </summary>
public class DeletePreviewEndpointTests
{
    private const string Csv = "Email\na@x.com\n";

    [Fact]
    public async Task A_discarded_preview_is_gone_and_its_place_in_the_quota_is_free_again()
    {
        // CONTRACT §1: past the OU's preview quota, 429.
        await using var api = await TestApi.StartAsync(o => o.MaxPreviewsPerOu = 1, runJobs: false);
        var fileId = (await api.PreviewAsync(Csv))["file_id"]!.ToString();
        await TestApi.ExpectProblem(await api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload(Csv)), 429);

        var deleted = await api.Client.DeleteAsync($"/leads/import/previews/{fileId}");

        Assert.Equal(204, (int)deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
        await TestApi.ExpectProblem(await api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(TestApi.ByEmail, fileId)), 404);
        await TestApi.ExpectProblem(await api.Client.DeleteAsync($"/leads/import/previews/{fileId}"), 404);
        await api.PreviewAsync(Csv);
    }

    [Fact]
    public async Task Unknown_malformed_expired_started_and_other_ous_previews_all_answer_the_404_of_an_id_that_never_existed()
    {
        await using var api = await TestApi.StartAsync(fakeTime: true, runJobs: false);
        var started = (await api.PreviewAsync(Csv))["file_id"]!.ToString();
        await TestApi.Expect(await api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(TestApi.ByEmail, started)), 202);
        var expired = (await api.PreviewAsync(Csv))["file_id"]!.ToString();
        api.Time!.Advance(TimeSpan.FromHours(1));
        var theirs = await PreviewAsAsync(api, "ou-b");
        var neverExisted = await ProblemAsync(api, ImportIds.NewFileId());

        var answers = new[]
        {
            await ProblemAsync(api, "preview_nope"),
            await ProblemAsync(api, ImportIds.NewJobId()),
            await ProblemAsync(api, started),
            await ProblemAsync(api, expired),
            await ProblemAsync(api, theirs),
        };

        Assert.Equal("Preview not found", neverExisted["title"]!.ToString());
        Assert.All(answers, answer => Assert.Equal(neverExisted.ToJsonString(), answer.ToJsonString()));
        SwitchOu(api, "ou-b");
        Assert.Equal(204, (int)(await api.Client.DeleteAsync($"/leads/import/previews/{theirs}")).StatusCode);
    }

    [Fact]
    public async Task A_started_preview_is_the_jobs_and_the_import_completes_after_a_discard_was_refused()
    {
        // CONTRACT §3: once started, the real import's job owns its copy of the file.
        await using var api = await TestApi.StartAsync();
        var fileId = (await api.PreviewAsync(Csv))["file_id"]!.ToString();
        var jobId = (await TestApi.Expect(await api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(TestApi.ByEmail, fileId)), 202))["job_id"]!.ToString();

        await TestApi.ExpectProblem(await api.Client.DeleteAsync($"/leads/import/previews/{fileId}"), 404);
        var job = await api.WaitForJobAsync(jobId);

        Assert.Equal(("completed", 1), (job["status"]!.ToString(), (int)job["created_count"]!));
    }

    [Fact]
    public async Task An_authenticated_caller_without_an_ou_is_403_and_an_anonymous_one_401_and_the_preview_stays()
    {
        await using var api = await TestApi.StartAsync(runJobs: false);
        var fileId = (await api.PreviewAsync(Csv))["file_id"]!.ToString();

        SwitchOu(api, "none");
        await TestApi.ExpectProblem(await api.Client.DeleteAsync($"/leads/import/previews/{fileId}"), 403);
        SwitchOu(api, null);
        await TestApi.ExpectProblem(await api.Client.DeleteAsync($"/leads/import/previews/{fileId}"), 401);
        SwitchOu(api, TestApi.Ou);

        await TestApi.Expect(await api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(TestApi.ByEmail, fileId)), 202);
    }

    private static async Task<JsonObject> ProblemAsync(TestApi api, string fileId) =>
        await TestApi.ExpectProblem(await api.Client.DeleteAsync($"/leads/import/previews/{Uri.EscapeDataString(fileId)}"), 404);

    private static async Task<string> PreviewAsAsync(TestApi api, string ou)
    {
        SwitchOu(api, ou);
        try
        {
            return (await api.PreviewAsync(Csv))["file_id"]!.ToString();
        }
        finally
        {
            SwitchOu(api, TestApi.Ou);
        }
    }

    private static void SwitchOu(TestApi api, string? ou)
    {
        api.Client.DefaultRequestHeaders.Remove("X-Test-Ou");
        if (ou is not null)
        {
            api.Client.DefaultRequestHeaders.Add("X-Test-Ou", ou);
        }
    }
}
