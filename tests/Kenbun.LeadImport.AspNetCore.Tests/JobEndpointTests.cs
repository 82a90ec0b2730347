using System.Text.Json.Nodes;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>Jobs: list paging and its 400s, detail across OUs, cancel, delete, errors paging, failed rows (CONTRACT §6).</summary>
public class JobEndpointTests
{
    [Theory]
    [InlineData("?page=0", "page")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?page=abc&limit=10", "page")]
    [InlineData("?limit=2.5", "limit")]
    [InlineData("?page=-1&limit=1000", "limit,page")]
    public async Task Paging_outside_its_rules_is_400_naming_only_the_wrong_parameter(string query, string wrong)
    {
        await using var api = await TestApi.StartAsync(runJobs: false);

        var problem = await TestApi.ExpectProblem(await api.Client.GetAsync("/leads/import/jobs" + query), 400);

        Assert.Equal(wrong.Split(','), problem["errors"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_list_is_newest_first_paged_and_scoped_to_the_ou()
    {
        await using var api = await TestApi.StartAsync(fakeTime: true, runJobs: false);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await api.StartAsync("Email\na@x.com\n"))["job_id"]!.ToString());
            api.Time!.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await TestApi.Expect(await api.Client.GetAsync("/leads/import/jobs?page=2&limit=2"), 200);
        using var other = new HttpRequestMessage(HttpMethod.Get, "/leads/import/jobs");
        other.Headers.Add("X-Test-Ou", "ou-b");
        api.Client.DefaultRequestHeaders.Remove("X-Test-Ou");
        var otherPage = await TestApi.Expect(await api.Client.SendAsync(other), 200);

        Assert.Equal(3, (int)page["total"]!);
        Assert.Equal((2, 2), ((int)page["page"]!, (int)page["limit"]!));
        Assert.Equal([ids[0]], page["jobs"]!.AsArray().Select(j => j!["job_id"]!.ToString()));
        Assert.Equal(0, (int)otherPage["total"]!);
    }

    [Fact]
    public async Task Another_ous_job_is_404_on_every_job_endpoint()
    {
        await using var api = await TestApi.StartAsync(runJobs: false);
        var jobId = (await api.StartAsync("Email\na@x.com\n"))["job_id"]!.ToString();
        api.Client.DefaultRequestHeaders.Remove("X-Test-Ou");
        api.Client.DefaultRequestHeaders.Add("X-Test-Ou", "ou-b");

        await TestApi.ExpectProblem(await api.Client.GetAsync($"/leads/import/jobs/{jobId}"), 404);
        await TestApi.ExpectProblem(await api.Client.PostAsync($"/leads/import/jobs/{jobId}/cancel", null), 404);
        await TestApi.ExpectProblem(await api.Client.DeleteAsync($"/leads/import/jobs/{jobId}"), 404);
        await TestApi.ExpectProblem(await api.Client.GetAsync($"/leads/import/jobs/{jobId}/errors"), 404);
        await TestApi.ExpectProblem(await api.Client.GetAsync($"/leads/import/jobs/{jobId}/failed-rows.csv"), 404);
        await TestApi.ExpectProblem(await api.Client.GetAsync("/leads/import/jobs/job_doesnotexist"), 404);
    }

    [Fact]
    public async Task A_queued_job_cancels_with_200_a_finished_one_is_409_and_only_finished_jobs_delete()
    {
        await using var api = await TestApi.StartAsync(runJobs: false);
        var jobId = (await api.StartAsync("Email\na@x.com\n"))["job_id"]!.ToString();

        await TestApi.ExpectProblem(await api.Client.DeleteAsync($"/leads/import/jobs/{jobId}"), 409);
        var cancelled = await TestApi.Expect(await api.Client.PostAsync($"/leads/import/jobs/{jobId}/cancel", null), 200);
        await TestApi.ExpectProblem(await api.Client.PostAsync($"/leads/import/jobs/{jobId}/cancel", null), 409);
        var deleted = await api.Client.DeleteAsync($"/leads/import/jobs/{jobId}");

        Assert.Equal("cancelled", cancelled["status"]!.ToString());
        Assert.NotNull(cancelled["completed_at"]);
        Assert.Equal(204, (int)deleted.StatusCode);
        await TestApi.ExpectProblem(await api.Client.GetAsync($"/leads/import/jobs/{jobId}"), 404);
    }

    [Fact]
    public async Task Errors_page_in_row_order_and_failed_rows_come_back_as_csv_with_formulas_neutralised()
    {
        await using var api = await TestApi.StartAsync();
        var csv = "Email,Name,Phone\nbad1,=SUM(A1),+1 555 0100\nok@x.com,Ann,\nbad2,@cmd,-x\n,\"a,b\",+1-555-0100\n";
        var jobId = (await api.StartAsync(csv, """{"primary_identifier":{"column":"Email","kind":"email"},"field_mappings":{"Name":"first_name"}}"""))["job_id"]!.ToString();
        var job = await api.WaitForJobAsync(jobId);

        var page = await TestApi.Expect(await api.Client.GetAsync($"/leads/import/jobs/{jobId}/errors?page=2&limit=2"), 200);
        var response = await api.Client.GetAsync($"/leads/import/jobs/{jobId}/failed-rows.csv");
        var failedRows = await response.Content.ReadAsStringAsync();

        Assert.Equal(3, (int)job["failed_count"]!);
        Assert.Equal(3, (int)page["total"]!);
        Assert.Equal("""[{"row":4,"error":"Missing required identifier","value":""}]""", page["errors"]!.ToJsonString());
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            "Email,Name,Phone,error,row\r\n" +
            "bad1,'=SUM(A1),+1 555 0100,Invalid email format,1\r\n" +
            "bad2,'@cmd,'-x,Invalid email format,3\r\n" +
            ",\"a,b\",+1-555-0100,Missing required identifier,4\r\n",
            failedRows.ReplaceLineEndings("\r\n"));
    }

    [Fact]
    public async Task A_failed_rows_file_imports_back_to_the_original_values()
    {
        await using var api = await TestApi.StartAsync();
        var body = """{"primary_identifier":{"column":"Email","kind":"email"},"field_mappings":{"Name":"first_name"}}""";
        var jobId = (await api.StartAsync("Email,Name\nann@x,=1+1\n", body))["job_id"]!.ToString();
        await api.WaitForJobAsync(jobId);
        var failedRows = await api.Client.GetStringAsync($"/leads/import/jobs/{jobId}/failed-rows.csv");

        var fixedRows = failedRows.Replace("ann@x,", "ann@x.com,", StringComparison.Ordinal);
        var again = await api.StartAsync(fixedRows, body);
        var job = await api.WaitForJobAsync(again["job_id"]!.ToString());

        Assert.Equal(1, (int)job["created_count"]!);
        var store = api.Services.GetRequiredService<ILeadStore>();
        var lead = await store.FindAsync(TestApi.Ou, new(Identifiers.IdentifierKind.Email, "ann@x.com"), CancellationToken.None);
        Assert.Equal("=1+1", lead!.Fields["first_name"]);
    }
}

/// <summary>Cancelling a running job answers 202 and the job stops at a batch boundary.</summary>
public class RunningJobCancelTests
{
    [Fact]
    public async Task A_running_job_answers_202_with_cancel_requested_and_ends_cancelled()
    {
        await using var api = await TestApi.StartAsync(
            o => o.BatchSize = 1,
            host: b => b.Services.Replace(ServiceDescriptor.Singleton<LeadImportStorage>(
                provider => new SlowStorage(new InMemoryStorage(provider.GetRequiredService<TimeProvider>())))));
        var csv = "Email\n" + string.Join("\n", Enumerable.Range(0, 200).Select(i => $"u{i}@x.com"));
        var jobId = (await api.StartAsync(csv))["job_id"]!.ToString();
        for (var i = 0; i < 500 && (int)(await TestApi.Expect(await api.Client.GetAsync($"/leads/import/jobs/{jobId}"), 200))["processed_rows"]! == 0; i++)
        {
            await Task.Delay(10);
        }

        var response = await api.Client.PostAsync($"/leads/import/jobs/{jobId}/cancel", null);
        var accepted = await TestApi.Expect(response, 202);
        var job = await api.WaitForJobAsync(jobId);

        Assert.True((bool)accepted["cancel_requested"]!);
        Assert.Equal("in_progress", accepted["status"]!.ToString());
        Assert.Equal("cancelled", job["status"]!.ToString());
        Assert.InRange((int)job["processed_rows"]!, 1, 199);
        Assert.Equal((int)job["processed_rows"]!, (int)job["created_count"]!);
    }

    /// <summary>Takes 20 ms per commit, so a 200-row job in batches of one runs long enough to be cancelled.</summary>
    private sealed class SlowStorage(LeadImportStorage inner) : DelegatingStorage(inner)
    {
        public override async ValueTask<BatchCommitResult> CommitBatchAsync(
            string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            await Task.Delay(20, cancellationToken);
            return await base.CommitBatchAsync(ou, jobId, changes, checkpoint, cancellationToken);
        }
    }
}
