using System.Net;
using System.Text.Json.Nodes;
using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// Two sample hosts on one PostgreSQL database are one service (CONTRACT §6): a file previewed through one starts through
/// the other, and every job endpoint answers the same, to the byte, whichever host is asked.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoHostTests(PostgresServer server)
{
    [Fact]
    public async Task Either_host_previews_starts_polls_cancels_and_deletes_and_every_job_endpoint_answers_alike_from_both()
    {
        var database = await server.CreateDatabaseAsync();
        // A commit per batch: the cancels below must reach jobs of 30,000 rows while they still run, and with group commit
        // such a job is a handful of commits, which may all have begun before the cancel arrives (GroupCommitTests).
        using var hosts = await SampleHosts.StartAsync(2, database, storage: "PostgreSql", settings: new Dictionary<string, string> { ["LeadImport__MaxBatchesPerCommit"] = "1" });
        var (a, b) = (hosts[0].Client, hosts[1].Client);

        // Previewed through A, started through B, polled through A.
        var small = SoloImport.Generate(seed: 11, rows: 600, people: 400);
        var totals = small.Totals;
        var job1 = await b.StartAcceptedAsync((await a.PreviewAsync(small.File.Csv, 600))["file_id"]!.ToString(), LeadFile.Settings);
        await a.WaitForCompletionAsync(job1);

        var detail = await AskBothAsync(a, b, HttpMethod.Get, SampleApi.JobPath(job1));
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        totals.AssertCompleted(JsonNode.Parse(detail.Body)!);
        var pages = (int)Math.Ceiling(totals.Failed / 5.0);
        Assert.InRange(pages, 2, 20);
        List<(long, string)> paged = [];
        for (var page = 1; page <= pages + 1; page++)
        {
            var answer = await AskBothAsync(a, b, HttpMethod.Get, $"{SampleApi.JobPath(job1)}/errors?page={page}&limit=5");
            var body = JsonNode.Parse(answer.Body)!;
            Assert.Equal(totals.Failed, (long)body["total"]!);
            paged.AddRange(body["errors"]!.AsArray().Select(e => ((long)e!["row"]!, e["error"]!.ToString())));
        }

        Assert.Equal(totals.Errors, paged);
        var failedRows = await AskBothAsync(a, b, HttpMethod.Get, $"{SampleApi.JobPath(job1)}/failed-rows.csv");
        Assert.Equal((HttpStatusCode.OK, "text/csv"), (failedRows.Status, failedRows.ContentType));
        Assert.Equal(totals.Failed + 1, failedRows.Body.TrimEnd().Split('\n').Length);
        Assert.Equal(HttpStatusCode.Conflict, (await AskBothAsync(a, b, HttpMethod.Post, $"{SampleApi.JobPath(job1)}/cancel")).Status);

        // Two long imports keep both hosts' one worker busy, so a third job stays queued; each job started through one host.
        // Their people differ: imports of the same people would take turns (see ConcurrentImportTests).
        var file2 = (await b.PreviewAsync(LeadFile.Generate(seed: 12, rows: 30_000, firstPerson: 1_000, lastPerson: 13_000).Csv, 30_000))["file_id"]!.ToString();
        var file3 = (await b.PreviewAsync(LeadFile.Generate(seed: 13, rows: 30_000, firstPerson: 13_000, lastPerson: 25_000).Csv, 30_000))["file_id"]!.ToString();
        var file4 = (await a.PreviewAsync(small.File.Csv, 600))["file_id"]!.ToString();
        var job2 = await a.StartAcceptedAsync(file2, LeadFile.Settings);
        var job3 = await b.StartAcceptedAsync(file3, LeadFile.Settings);
        await b.WaitForProgressAsync(job2, 1);
        await a.WaitForProgressAsync(job3, 1);
        var job4 = await a.StartAcceptedAsync(file4, LeadFile.Settings);
        Assert.Equal("queued", JsonNode.Parse((await AskBothAsync(a, b, HttpMethod.Get, SampleApi.JobPath(job4))).Body)!["status"]!.ToString());

        foreach (var unfinished in new[] { job2, job4 })
        {
            Assert.Equal(HttpStatusCode.Conflict, (await AskBothAsync(a, b, HttpMethod.Delete, SampleApi.JobPath(unfinished))).Status);
        }

        var cancelledQueued = JsonNode.Parse(await AssertAnswersAsync(b, HttpMethod.Post, $"{SampleApi.JobPath(job4)}/cancel", HttpStatusCode.OK))!;
        Assert.Equal(("cancelled", null), (cancelledQueued["status"]!.ToString(), cancelledQueued["started_at"]));
        foreach (var (running, client) in new[] { (job2, b), (job3, a) })
        {
            var requested = JsonNode.Parse(await AssertAnswersAsync(client, HttpMethod.Post, $"{SampleApi.JobPath(running)}/cancel", HttpStatusCode.Accepted))!;
            Assert.Equal(("in_progress", true), (requested["status"]!.ToString(), (bool)requested["cancel_requested"]!));
        }

        var created = (long)JsonNode.Parse(detail.Body)!["created_count"]!;
        foreach (var (cancelled, client) in new[] { (job2, a), (job3, b), (job4, a) })
        {
            Assert.Equal("cancelled", (await client.WaitForCompletionAsync(cancelled))["status"]!.ToString());
            var job = JsonNode.Parse((await AskBothAsync(a, b, HttpMethod.Get, SampleApi.JobPath(cancelled))).Body)!;
            var counters = new[] { "created_count", "updated_count", "failed_count", "skipped_count" }.Sum(counter => (long)job[counter]!);
            Assert.Equal((long)job["processed_rows"]!, counters);
            Assert.InRange(counters, cancelled == job4 ? 0 : 1, (long)job["total_rows"]! - 1);
            Assert.Equal(HttpStatusCode.Conflict, (await AskBothAsync(a, b, HttpMethod.Post, $"{SampleApi.JobPath(cancelled)}/cancel")).Status);
            created += (long)job["created_count"]!;
        }

        // Rows applied before the cancel stay applied: every lead was created by exactly one of the jobs.
        Assert.Equal(created, (await StoredLeads.ReadAsync(database)).Count);

        var list = JsonNode.Parse((await AskBothAsync(a, b, HttpMethod.Get, "/leads/import/jobs")).Body)!;
        Assert.Equal(new[] { job4, job3, job2, job1 }, list["jobs"]!.AsArray().Select(job => job!["job_id"]!.ToString()));
        Assert.Equal(HttpStatusCode.OK, (await AskBothAsync(a, b, HttpMethod.Get, "/leads/import/jobs?page=2&limit=3")).Status);

        // Another OU's job is not found, from either host, exactly as a job that never existed.
        var notFound = await AskBothAsync(a, b, HttpMethod.Get, SampleApi.JobPath("job_doesnotexist000000000000"));
        Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
        using (var globexA = hosts[0].ClientAs("dev-token-globex"))
        using (var globexB = hosts[1].ClientAs("dev-token-globex"))
        {
            Assert.Equal(notFound, await AskBothAsync(globexA, globexB, HttpMethod.Get, SampleApi.JobPath(job1)));
        }

        // Deleted through one host, gone from both.
        await AssertAnswersAsync(a, HttpMethod.Delete, SampleApi.JobPath(job1), HttpStatusCode.NoContent);
        await AssertAnswersAsync(b, HttpMethod.Delete, SampleApi.JobPath(job4), HttpStatusCode.NoContent);
        foreach (var path in new[] { "", "/errors", "/failed-rows.csv" })
        {
            Assert.Equal(notFound, await AskBothAsync(a, b, HttpMethod.Get, SampleApi.JobPath(job1) + path));
        }

        Assert.Equal(notFound, await AskBothAsync(a, b, HttpMethod.Delete, SampleApi.JobPath(job4)));
        Assert.Equal(notFound, await AskBothAsync(a, b, HttpMethod.Post, $"{SampleApi.JobPath(job1)}/cancel"));
        list = JsonNode.Parse((await AskBothAsync(a, b, HttpMethod.Get, "/leads/import/jobs")).Body)!;
        Assert.Equal(new[] { job3, job2 }, list["jobs"]!.AsArray().Select(job => job!["job_id"]!.ToString()));
    }

    /// <summary>Sends the same request to both hosts, A first, and asserts that the answers are equal: status, content type and body.</summary>
    private static async Task<Answer> AskBothAsync(HttpClient a, HttpClient b, HttpMethod method, string path)
    {
        var fromA = await AskAsync(a, method, path);
        Assert.Equal(fromA, await AskAsync(b, method, path));
        return fromA;
    }

    private static async Task<string> AssertAnswersAsync(HttpClient client, HttpMethod method, string path, HttpStatusCode status)
    {
        var answer = await AskAsync(client, method, path);
        Assert.True(answer.Status == status, $"{method} {path} answered {answer.Status}: {answer.Body}");
        return answer.Body;
    }

    private static async Task<Answer> AskAsync(HttpClient client, HttpMethod method, string path)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path));
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private sealed record Answer(HttpStatusCode Status, string? ContentType, string Body);
}
