using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CsvHelper;
using Kenbun.LeadImport.Docs.Tests;
using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.Packaging.Tests;

/// <summary>
/// A host as a new user makes one: the stock <c>web</c> template, <c>dotnet add package</c> from the packed folder, the
/// <c>Program.cs</c> of docs/getting-started.md, then preview → start → poll → failed rows over HTTP with a bearer token
/// from the page's development sign-in.
/// </summary>
[Collection(PackedLibraryCollection.Name)]
public sealed class ConsumerAppTests(PackedLibrary packed)
{
    private static readonly string SampleFile = Path.Combine(MarkdownSnippets.RepositoryRoot, "samples", "data", "leads.csv");

    [Fact]
    public async Task A_stock_web_app_with_the_packages_and_the_getting_started_code_imports_a_file_on_sqlite()
    {
        await using var app = new ConsumerApp();
        await app.CreateAsync(packed, "Kenbun.LeadImport.AspNetCore", "Kenbun.LeadImport.Sqlite");
        await app.StartAsync(GettingStartedDoc.SqliteProgram());

        await ImportsTheSampleFileAsync(app);
    }

    [PostgresFact]
    public async Task A_stock_web_app_imports_a_file_on_postgresql_with_the_store_line_the_getting_started_page_gives()
    {
        await using var cluster = new PostgresCluster();
        await cluster.StartAsync();
        await using var app = new ConsumerApp();
        await app.CreateAsync(packed, "Kenbun.LeadImport.AspNetCore", "Kenbun.LeadImport.Sqlite", "Kenbun.LeadImport.PostgreSql");
        await app.StartAsync(GettingStartedDoc.PostgreSqlProgram(), new Dictionary<string, string> { ["ConnectionStrings__LeadImport"] = await cluster.CreateDatabaseAsync() });

        await ImportsTheSampleFileAsync(app);
    }

    private static async Task ImportsTheSampleFileAsync(ConsumerApp app)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.GetAsync("/leads/import/jobs")).StatusCode);
        using var client = await app.SignInAsync("ana", "acme");

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(SampleFile));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "leads.csv");
        var preview = await JsonAsync(app, await client.PostAsync("/leads/import/preview", form), HttpStatusCode.OK);
        Assert.Equal(320, preview["row_count"]!.GetValue<long>());

        var start = await JsonAsync(app, await client.PostAsync("/leads/import/start", new StringContent($$"""
            {"file_id": "{{preview["file_id"]}}", "primary_identifier": {"column": "Email", "kind": "email"},
             "field_mappings": {"First Name": "first_name", "Last Name": "last_name", "Company": "company"},
             "alias_mappings": {"Phone": "_alias_phone", "LinkedIn": "_alias_social"} }
            """, Encoding.UTF8, "application/json")), HttpStatusCode.Accepted);

        var job = await FinishedJobAsync(app, client, start["job_id"]!.ToString());
        long Count(string name) => job[name]!.GetValue<long>();
        Assert.Equal("completed", job["status"]!.ToString());
        Assert.Equal(320, Count("processed_rows"));
        Assert.True(Count("created_count") > 100, job.ToJsonString());
        Assert.True(Count("failed_count") > 0, job.ToJsonString());
        Assert.Equal(320, Count("created_count") + Count("updated_count") + Count("failed_count") + Count("skipped_count"));

        var failedRows = await client.GetAsync($"/leads/import/jobs/{start["job_id"]}/failed-rows.csv");
        Assert.Equal(HttpStatusCode.OK, failedRows.StatusCode);
        Assert.Equal("text/csv", failedRows.Content.Headers.ContentType!.MediaType);
        using var csv = CsvReader.Create(await failedRows.Content.ReadAsStreamAsync(), new CsvReaderOptions { HasHeader = true, Separator = ',' }, leaveOpen: false);
        var rows = 0;
        while (await csv.ReadAsync())
        {
            rows++;
        }

        Assert.Equal(["Email", "First Name"], csv.Headers.Take(2));
        Assert.Contains("error", csv.Headers);
        Assert.Equal(Count("failed_count"), rows);

        var openApi = JsonNode.Parse(await app.Client.GetStringAsync("/openapi/v1.json"))!;
        Assert.Equal("bearer", openApi["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.ToString());
    }

    /// <summary>Polls the job until it reaches a final status (the job runs in the app's background).</summary>
    private static async Task<JsonObject> FinishedJobAsync(ConsumerApp app, HttpClient client, string jobId)
    {
        for (var polls = 0; polls < 3000; polls++)
        {
            var job = await JsonAsync(app, await client.GetAsync($"/leads/import/jobs/{jobId}"), HttpStatusCode.OK);
            if (job["status"]!.ToString() is "completed" or "failed" or "cancelled")
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The job did not finish in 3,000 polls.\n{app.Output}");
    }

    private static async Task<JsonObject> JsonAsync(ConsumerApp app, HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} answered {(int)response.StatusCode}: {body}\n{app.Output}");
        return JsonNode.Parse(body)!.AsObject();
    }
}
