using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// *Extra* <c>created_by</c>: a job records who started it — the caller's name claim unless the host names another — and
/// the job list and detail show it; what a client sends never counts, and the name is never logged above Debug.
/// </summary>
public class CreatedByEndpointTests
{
    private const string Csv = "Email\na@x.com\n";

    [Fact]
    public async Task A_job_records_the_callers_name_and_the_list_detail_and_cancel_answers_show_it()
    {
        await using var api = await TestApi.StartAsync(runJobs: false);
        api.Client.DefaultRequestHeaders.Add("X-Test-User", "Zoe Example");

        var jobId = (await api.StartAsync(Csv))["job_id"]!.ToString();
        var listed = Assert.Single((await TestApi.Expect(await api.Client.GetAsync("/leads/import/jobs"), 200))["jobs"]!.AsArray())!;
        var detail = await TestApi.Expect(await api.Client.GetAsync($"/leads/import/jobs/{jobId}"), 200);
        var cancelled = await TestApi.Expect(await api.Client.PostAsync($"/leads/import/jobs/{jobId}/cancel", null), 200);

        Assert.Equal("Zoe Example", listed["created_by"]!.ToString());
        Assert.Equal("Zoe Example", detail["created_by"]!.ToString());
        Assert.Equal("Zoe Example", cancelled["created_by"]!.ToString());
    }

    [Fact]
    public async Task A_caller_without_the_claim_starts_a_job_by_no_one_and_the_answers_say_null()
    {
        await using var api = await TestApi.StartAsync(runJobs: false);
        api.Client.DefaultRequestHeaders.Add("X-Test-User", "-");

        var jobId = (await api.StartAsync(Csv))["job_id"]!.ToString();
        var listed = Assert.Single((await TestApi.Expect(await api.Client.GetAsync("/leads/import/jobs"), 200))["jobs"]!.AsArray())!.AsObject();
        var detail = await TestApi.Expect(await api.Client.GetAsync($"/leads/import/jobs/{jobId}"), 200);

        Assert.True(listed.ContainsKey("created_by"));
        Assert.Null(listed["created_by"]);
        Assert.True(detail.ContainsKey("created_by"));
        Assert.Null(detail["created_by"]);
    }

    [Theory]
    [InlineData("sub", "user-42")]
    [InlineData(null, null)]
    [InlineData("employee_number", null)]
    public async Task The_host_names_the_claim_or_turns_the_record_off(string? claimType, string? recorded)
    {
        await using var api = await TestApi.StartAsync(runJobs: false, host: b => b.Services.Configure<LeadImportHttpOptions>(o => o.CreatedByClaimType = claimType));

        var jobId = (await api.StartAsync(Csv))["job_id"]!.ToString();
        var detail = await TestApi.Expect(await api.Client.GetAsync($"/leads/import/jobs/{jobId}"), 200);

        Assert.Equal(recorded, detail["created_by"]?.ToString());
    }

    [Fact]
    public async Task A_created_by_in_the_start_body_is_ignored_and_the_claim_is_recorded()
    {
        await using var api = await TestApi.StartAsync(runJobs: false);

        var jobId = (await api.StartAsync(Csv, """{"primary_identifier":{"column":"Email","kind":"email"},"created_by":"the CEO"}"""))["job_id"]!.ToString();
        var detail = await TestApi.Expect(await api.Client.GetAsync($"/leads/import/jobs/{jobId}"), 200);

        Assert.Equal("someone", detail["created_by"]!.ToString());
    }

    [Fact]
    public async Task Who_started_a_job_is_never_logged_above_debug()
    {
        var logged = new ConcurrentQueue<(LogLevel Level, string Message)>();
        await using var api = await TestApi.StartAsync(host: b => b.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new RecordingLoggerProvider(logged)));
        api.Client.DefaultRequestHeaders.Add("X-Test-User", "Quentin Quillfeather");

        var jobId = (await api.StartAsync(Csv))["job_id"]!.ToString();
        var job = await api.WaitForJobAsync(jobId);
        await TestApi.Expect(await api.Client.GetAsync("/leads/import/jobs"), 200);
        Assert.Equal(204, (int)(await api.Client.DeleteAsync($"/leads/import/jobs/{jobId}")).StatusCode);

        Assert.Equal(("completed", "Quentin Quillfeather"), (job["status"]!.ToString(), job["created_by"]!.ToString()));
        Assert.Contains(logged, entry => entry.Level == LogLevel.Information && entry.Message.Contains(jobId, StringComparison.Ordinal));
        Assert.DoesNotContain(logged, entry => entry.Level > LogLevel.Debug && entry.Message.Contains("Quillfeather", StringComparison.Ordinal));
    }
}
