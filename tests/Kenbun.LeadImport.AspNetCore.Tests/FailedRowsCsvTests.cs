using System.Text;
using CsvHelper;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// <c>GET /jobs/{jobId}/failed-rows.csv</c> (CONTRACT §6): every failed row whole, rectangular, UTF-8 with a BOM, in the
/// upload's delimiter, with <c>extra_1…</c>, <c>error</c> and <c>row</c> columns, importable again without loss.
/// </summary>
public class FailedRowsCsvTests : IAsyncLifetime
{
    private const string ByEmail = """{"primary_identifier":{"column":"Email","kind":"email"},"field_mappings":{"Name":"first_name"}}""";

    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Ragged_rows_all_come_out_whole_under_extra_columns()
    {
        // The bug: a failed row with more cells than the header made the writer throw mid-response, losing every later row.
        var csv = "Email,Name\nbad,Ann,surplus\nok@x.com,Bo\nworse,Cy,one,two\nalso-bad,Di\n";

        var (text, bytes) = await ImportAndDownloadAsync(csv);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal(
            "Email,Name,extra_1,extra_2,error,row\r\n" +
            "bad,Ann,surplus,,Malformed row (3 cells; the header has 2),1\r\n" +
            "worse,Cy,one,two,Malformed row (4 cells; the header has 2),3\r\n" +
            "also-bad,Di,,,Invalid email format,4\r\n",
            text.ReplaceLineEndings("\r\n"));
        Assert.All(ReadRecords(bytes, ','), record => Assert.Equal(6, record.Length));
    }

    [Fact]
    public async Task A_trailing_delimiter_adds_no_column_and_loses_no_row()
    {
        var csv = "Email,Name\nbad,Ann,\nok@x.com,Bo,\nworse,Cy,,\n";

        var (text, _) = await ImportAndDownloadAsync(csv);

        Assert.Equal("Email,Name,error,row\r\nbad,Ann,Invalid email format,1\r\nworse,Cy,Invalid email format,3\r\n", text.ReplaceLineEndings("\r\n"));
    }

    [Fact]
    public async Task The_file_keeps_the_uploads_delimiter_and_makes_added_names_unique()
    {
        var csv = "Email;error;row\nbad;x;y;surplus\n";

        var (text, _) = await ImportAndDownloadAsync(csv, """{"primary_identifier":{"column":"Email","kind":"email"}}""");

        Assert.Equal("Email;error;row;extra_1;error_2;row_2\r\nbad;x;y;surplus;\"Malformed row (4 cells; the header has 3)\";1\r\n", text.ReplaceLineEndings("\r\n"));
    }

    [Fact]
    public async Task Malformed_rows_carry_a_detail_in_the_job_and_the_errors_page()
    {
        var jobId = (await _api.StartAsync("Email,Name\na@x.com,Ann,extra\n", ByEmail))["job_id"]!.ToString();
        var job = await _api.WaitForJobAsync(jobId);
        var page = await TestApi.Expect(await _api.Client.GetAsync($"/leads/import/jobs/{jobId}/errors"), 200);

        var expected = """{"row":1,"error":"Malformed row","value":"extra","detail":"3 cells; the header has 2"}""";
        Assert.Equal(expected, job["errors"]![0]!.ToJsonString());
        Assert.Equal(expected, page["errors"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task Downloading_and_importing_the_file_again_recovers_every_cell()
    {
        var csv = "Email;Name;City\nbad;Ann;=Berlin;surplus;\"multi\nline\"\nok@x.com;Bo;Rome\nworse;\"Cy; Jr\";@home\n";
        var (_, bytes) = await ImportAndDownloadAsync(csv);

        var preview = await TestApi.Expect(await _api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload(bytes, "failed.csv")), 200);
        var body = """{"primary_identifier":{"column":"Email","kind":"email"},"dry_run":true}""";
        var again = await TestApi.Expect(await _api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(body, preview["file_id"]!.ToString())), 202);
        var rerun = await _api.WaitForJobAsync(again["job_id"]!.ToString());

        Assert.Equal(";", preview["delimiter"]!.ToString());
        Assert.Equal("""["Email","Name","City","extra_1","extra_2","error","row"]""", preview["headers"]!.ToJsonString());
        Assert.Equal(
            """[["bad","Ann","'=Berlin","surplus","multi\nline","Malformed row (5 cells; the header has 3)","1"],["worse","Cy; Jr","'@home","","","Invalid email format","3"]]""",
            preview["sample_rows"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal(2, (int)rerun["failed_count"]!);
        Assert.Equal("Invalid email format", rerun["errors"]![0]!["error"]!.ToString());
    }

    private async Task<(string Text, byte[] Bytes)> ImportAndDownloadAsync(string csv, string body = ByEmail)
    {
        var jobId = (await _api.StartAsync(csv, body))["job_id"]!.ToString();
        await _api.WaitForJobAsync(jobId);
        var bytes = await _api.Client.GetByteArrayAsync($"/leads/import/jobs/{jobId}/failed-rows.csv");
        return (Encoding.UTF8.GetString(bytes.AsSpan(3)), bytes);
    }

    private static List<string[]> ReadRecords(byte[] bytes, char delimiter)
    {
        using var reader = CsvReader.Create(bytes.AsMemory(3), new CsvReaderOptions { HasHeader = false, Separator = delimiter });
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
        }

        return records;
    }
}
