using System.Text.Json.Nodes;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// Each endpoint's response has every field of the API text's literal example, with the same JSON types. The examples
/// are copied from the API text as text, not built from our classes.
/// </summary>
public class ApiExampleShapeTests
{
    private const string Csv = "Email,First Name,Last Name,Company,Phone\njane@example.com,Jane,Doe,Example Inc,+1-555-0100\njohn@example.com,John,Smith,Acme Corp,+1-555-0101\nnot-an-email,X,Y,Z,\n";

    private const string PreviewExample = """
        {
        "file_id": "preview_abc123",
        "file_name": "leads.csv",
        "headers": ["Email", "First Name", "Last Name", "Company", "Phone"],
        "sample_rows": [
        ["jane@example.com", "Jane", "Doe", "Example Inc", "+1-555-0100"],
        ["john@example.com", "John", "Smith", "Acme Corp", "+1-555-0101"]
        ],
        "row_count": 1000,
        "auto_detected_identifiers": {
        "email_columns": ["Email"],
        "phone_columns": ["Phone"]
        },
        "expires_at": "2025-01-15T11:00:00Z"
        }
        """;

    private const string StartExample = """
        {
        "job_id": "job_abc123",
        "status": "queued",
        "message": "Import job started",
        "file_name": "leads.csv",
        "total_rows": 1000
        }
        """;

    private const string ListExample = """
        {
        "jobs": [
        {
        "job_id": "job_abc123",
        "status": "completed",
        "file_name": "leads.csv",
        "created_at": "2025-01-15T10:00:00Z",
        "completed_at": "2025-01-15T10:05:00Z",
        "total_rows": 1000,
        "created_count": 750,
        "updated_count": 230,
        "failed_count": 20
        }
        ],
        "total": 1,
        "page": 1,
        "limit": 25
        }
        """;

    private const string DetailExample = """
        {
        "job_id": "job_abc123",
        "status": "completed",
        "created_at": "2025-01-15T10:00:00Z",
        "started_at": "2025-01-15T10:00:05Z",
        "completed_at": "2025-01-15T10:05:00Z",
        "file_name": "leads.csv",
        "total_rows": 1000,
        "created_count": 750,
        "updated_count": 230,
        "failed_count": 20,
        "primary_identifier": {
        "column": "Email",
        "kind": "email"
        },
        "field_mappings": {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Company": "company"
        },
        "errors": [
        {"row": 45, "error": "Invalid email format", "value": "not-an-email"},
        {"row": 102, "error": "Missing required identifier", "value": ""}
        ]
        }
        """;

    [Fact]
    public async Task Every_response_has_the_api_examples_fields_and_json_types()
    {
        await using var api = await TestApi.StartAsync();

        var preview = await api.PreviewAsync(Csv);
        AssertShape(JsonNode.Parse(PreviewExample)!, preview);

        var body = """{"primary_identifier":{"column":"Email","kind":"email"},"field_mappings":{"First Name":"first_name","Last Name":"last_name","Company":"company","Job Title":"title"},"alias_mappings":{"Phone":"_alias_phone","LinkedIn":"_alias_social"}}""";
        var started = await TestApi.Expect(await api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(body, preview["file_id"]!.ToString())), 202);
        AssertShape(JsonNode.Parse(StartExample)!, started);

        var detail = await api.WaitForJobAsync(started["job_id"]!.ToString());
        AssertShape(JsonNode.Parse(DetailExample)!, detail);
        Assert.Equal("""{"First Name":"first_name","Last Name":"last_name","Company":"company"}""", detail["field_mappings"]!.ToJsonString());

        var list = await TestApi.Expect(await api.Client.GetAsync("/leads/import/jobs?page=1&limit=25"), 200);
        AssertShape(JsonNode.Parse(ListExample)!, list);
    }

    [Fact]
    public async Task Timestamps_are_utc_with_z_and_nulls_are_written()
    {
        await using var api = await TestApi.StartAsync(fakeTime: true, runJobs: false);

        var preview = await api.PreviewAsync(Csv);
        var started = await TestApi.Expect(await api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(TestApi.ByEmail, preview["file_id"]!.ToString())), 202);
        var job = await TestApi.Expect(await api.Client.GetAsync($"/leads/import/jobs/{started["job_id"]}"), 200);

        Assert.Equal("2025-01-15T11:00:00Z", preview["expires_at"]!.ToString());
        Assert.Equal("2025-01-15T10:00:00Z", job["created_at"]!.ToString());
        Assert.True(job.ContainsKey("started_at") && job["started_at"] is null);
        Assert.True(job.ContainsKey("completed_at") && job["completed_at"] is null);
    }

    private static void AssertShape(JsonNode expected, JsonNode? actual, string path = "$")
    {
        Assert.True(actual is not null, $"{path} is missing or null");
        Assert.True(expected.GetValueKind() == actual.GetValueKind(), $"{path}: expected {expected.GetValueKind()}, got {actual.GetValueKind()}");
        switch (expected)
        {
            case JsonObject obj when path.EndsWith("field_mappings", StringComparison.Ordinal):
                Assert.All(actual.AsObject(), p => Assert.Equal(System.Text.Json.JsonValueKind.String, p.Value!.GetValueKind()));
                break;
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    Assert.True(actual.AsObject().ContainsKey(name), $"{path}.{name} is missing");
                    AssertShape(value!, actual[name], $"{path}.{name}");
                }

                break;
            case JsonArray array when array.Count > 0:
                foreach (var item in actual.AsArray())
                {
                    AssertShape(array[0]!, item, $"{path}[]");
                }

                break;
        }
    }
}
