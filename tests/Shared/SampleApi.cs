using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Kenbun.LeadImport.Testing.Processes;

/// <summary>
/// The import API calls the process tests make on a <see cref="SampleProcess"/> (preview → start → jobs), and the waits
/// between them: each waits for a condition, polling, up to <see cref="Patience"/>, never for a fixed time. Shared as
/// source with <see cref="SampleProcess"/>.
/// </summary>
internal static class SampleApi
{
    /// <summary>How long a wait may last before the test fails: generous, for a busy two-core machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    /// <summary>A job's path.</summary>
    public static string JobPath(string jobId) => $"/leads/import/jobs/{jobId}";

    /// <summary>The multipart body of a preview: <paramref name="csv"/> as the part <c>file</c>.</summary>
    public static MultipartFormDataContent Upload(byte[] csv, string fileName = "leads.csv")
    {
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    /// <summary>Previews <paramref name="csv"/>; fails unless the answer is 200 and counts <paramref name="rows"/> rows.</summary>
    public static async Task<JsonNode> PreviewAsync(this HttpClient client, byte[] csv, long rows, string fileName = "leads.csv")
    {
        using var response = await client.PostAsync("/leads/import/preview", Upload(csv, fileName));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Preview answered {(int)response.StatusCode}: {body}");
        var preview = JsonNode.Parse(body)!;
        Assert.Equal(rows, (long)preview["row_count"]!);
        return preview;
    }

    /// <summary>
    /// Starts the import of a previewed file with <paramref name="settings"/>, a start request's JSON without its
    /// <c>file_id</c> (e.g. <c>{"primary_identifier":{"column":"Email","kind":"email"}}</c>); returns the answer.
    /// </summary>
    public static Task<HttpResponseMessage> StartAsync(this HttpClient client, string fileId, string settings)
    {
        var body = JsonNode.Parse(settings)!.AsObject();
        body.Insert(0, "file_id", fileId);
        return client.PostAsync("/leads/import/start", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
    }

    /// <summary>Previews and starts <paramref name="csv"/> in one go; fails unless the start answers 202; returns the job id.</summary>
    public static async Task<string> StartImportAsync(this HttpClient client, byte[] csv, long rows, string settings) =>
        await client.StartAcceptedAsync((await client.PreviewAsync(csv, rows))["file_id"]!.ToString(), settings);

    /// <summary>Starts a previewed file; fails unless the answer is 202 with a <c>Location</c>; returns the job id.</summary>
    public static async Task<string> StartAcceptedAsync(this HttpClient client, string fileId, string settings)
    {
        using var start = await client.StartAsync(fileId, settings);
        var body = await start.Content.ReadAsStringAsync();
        Assert.True(start.StatusCode == HttpStatusCode.Accepted, $"Start answered {(int)start.StatusCode}: {body}");
        var jobId = JsonNode.Parse(body)!["job_id"]!.ToString();
        Assert.EndsWith(JobPath(jobId), start.Headers.Location!.ToString(), StringComparison.Ordinal);
        return jobId;
    }

    /// <summary>
    /// The job's detail. A 503 (the store unavailable, e.g. the database restarting) is asked again until it passes:
    /// what the tests wait for is the job, not the store.
    /// </summary>
    public static async Task<JsonNode> GetJobAsync(this HttpClient client, string jobId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var response = await client.GetAsync(JobPath(jobId));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonNode.Parse(body)!;
            }

            Assert.True(
                response.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline,
                $"GET {JobPath(jobId)} answered {(int)response.StatusCode}: {body}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the job has processed at least <paramref name="atLeast"/> rows, failing if it finishes first; returns how many it had.</summary>
    public static async Task<long> WaitForProgressAsync(this HttpClient client, string jobId, long atLeast)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var job = await client.GetJobAsync(jobId);
            var processed = (long)job["processed_rows"]!;
            Assert.NotEqual("completed", job["status"]!.ToString());
            if (processed >= atLeast)
            {
                return processed;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The job did not reach {atLeast} processed rows: {job.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the job is <c>completed</c>, <c>failed</c> or <c>cancelled</c>; returns its detail then.</summary>
    public static async Task<JsonNode> WaitForCompletionAsync(this HttpClient client, string jobId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var job = await client.GetJobAsync(jobId);
            if (job["status"]!.ToString() is "completed" or "failed" or "cancelled")
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The job did not finish: {job.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}
