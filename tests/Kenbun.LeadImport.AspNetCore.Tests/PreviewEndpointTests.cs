using System.Net.Http.Headers;
using System.Text;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary><c>POST /leads/import/preview</c>: 200, 400, 413, 415 with messages a person can act on (CONTRACT §2).</summary>
public class PreviewEndpointTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync(o =>
    {
        o.MaxFileBytes = 2000;
        o.MaxPreviewsPerOu = 3;
    });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("text/csv", "leads.csv")]
    [InlineData("application/vnd.ms-excel", "leads.csv")]
    [InlineData("text/plain", "leads.txt")]
    [InlineData("application/octet-stream", "leads.tsv")]
    public async Task A_csv_named_file_is_accepted_with_the_content_types_browsers_send(string contentType, string name)
    {
        var response = await _api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload("Email\na@x.com\n", name, contentType));

        var preview = await TestApi.Expect(response, 200);
        Assert.Equal(name, preview["file_name"]!.ToString());
        Assert.Equal(1, (int)preview["row_count"]!);
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'E', (byte)'m', (byte)',', (byte)'B', (byte)'\n' }, "utf-8", ",", "Em")]
    [InlineData(new byte[] { (byte)'E', (byte)';', (byte)'B', (byte)'\n' }, "utf-8", ";", "E")]
    [InlineData(new byte[] { (byte)'E', (byte)'\t', (byte)'B', (byte)'\n' }, "utf-8", "\t", "E")]
    [InlineData(new byte[] { (byte)'J', (byte)'o', (byte)'s', 0xE9, (byte)',', (byte)'B', (byte)'\n' }, "windows-1252", ",", "José")]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'E', 0, (byte)'|', 0, (byte)'B', 0, (byte)'\n', 0 }, "utf-16le", "|", "E")]
    public async Task Encodings_and_delimiters_are_reported_as_extras(byte[] content, string encoding, string delimiter, string firstHeader)
    {
        var preview = await TestApi.Expect(await _api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload(content)), 200);

        Assert.Equal(encoding, preview["encoding"]!.ToString());
        Assert.Equal(delimiter, preview["delimiter"]!.ToString());
        Assert.Equal(firstHeader, preview["headers"]![0]!.ToString());
    }

    [Fact]
    public async Task No_file_part_is_400()
    {
        var form = new MultipartFormDataContent { { new StringContent("x"), "other" } };

        var problem = await TestApi.ExpectProblem(await _api.Client.PostAsync("/leads/import/preview", form), 400);

        Assert.Contains("part named \"file\"", problem["detail"]!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Email,Name,email\n", "\"Email\" (column 1) and \"email\" (column 3)")]
    [InlineData("Email,Name\na@x.com,\"open\n", "never closed")]
    [InlineData("Email,,Name\n", "Column 2 of the header row has no name")]
    public async Task An_unreadable_csv_is_400_naming_the_problem(string csv, string named)
    {
        var problem = await TestApi.ExpectProblem(await _api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload(csv)), 400);

        Assert.Contains(named, problem["detail"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_413_and_a_file_of_exactly_the_limit_is_200()
    {
        var exact = Encoding.UTF8.GetBytes("Email\n" + new string('x', 1993) + "\n");
        var over = Encoding.UTF8.GetBytes("Email\n" + new string('x', 1994) + "\n");

        await TestApi.Expect(await _api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload(exact)), 200);
        var problem = await TestApi.ExpectProblem(await _api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload(over)), 413);

        Assert.Contains("2,000 bytes", problem["detail"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_413_message_gives_the_limit_in_megabytes_and_bytes()
    {
        await using var api = await TestApi.StartAsync(o => o.MaxFileBytes = 10 * 1024 * 1024, runJobs: false);
        var over = Encoding.UTF8.GetBytes("Email\n" + new string('x', 10 * 1024 * 1024) + "\n");

        var problem = await TestApi.ExpectProblem(await api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload(over)), 413);

        Assert.Contains("10 MB (10,485,760 bytes)", problem["detail"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_answers_write_non_ascii_text_as_it_is()
    {
        // CONTRACT §7: "Müller" and "+1", not \u00FC and \u002B escapes, in answers and in problem details alike.
        var response = await _api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload("Name,Telefon\nMüller,+1 (415) 555-0100\n"));
        var problem = await _api.PostJsonAsync("/leads/import/start", """{"file_id":"preview_x","alias_mappings":{"Télé":5}}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"Müller\"", text, StringComparison.Ordinal);
        Assert.Contains("\"+1 (415) 555-0100\"", text, StringComparison.Ordinal);
        Assert.Contains("alias_mappings.Télé", await problem.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Xlsx_bytes_named_xlsx_are_415()
    {
        var upload = TestApi.CsvUpload([0x50, 0x4B, 0x03, 0x04, 1, 2, 3], "leads.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        var problem = await TestApi.ExpectProblem(await _api.Client.PostAsync("/leads/import/preview", upload), 415);

        Assert.Contains("not a CSV file", problem["detail"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_415_echoes_the_cleaned_display_name_and_a_cut_content_type()
    {
        // filename* carries what a quoted name cannot: CR, LF, a right-to-left override, BEL; 5,000 characters in all.
        var name = "a%0D%0Ab%E2%80%AEgnp.exe%07" + new string('x', 5_000) + ".png";
        var contentType = "image/png" + new string('z', 8 * 1024);

        var problem = await TestApi.ExpectProblem(await PostRawPartAsync($"filename*=UTF-8''{name}", contentType, [0x89, 0x50]), 415);

        var detail = problem["detail"]!.ToString();
        Assert.True(detail.Length < 600, $"The detail is {detail.Length} characters long.");
        Assert.DoesNotContain(detail, c => char.IsControl(c) || c == '\u202E');
        Assert.StartsWith("\"abgnp.exe", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quoted_name_keeps_the_quotes_a_browser_escaped_in_it()
    {
        var response = await PostRawPartAsync("filename=\"report\\\"2024\\\".csv\"", "text/csv", "Email\na@x.com\n"u8.ToArray());

        var preview = await TestApi.Expect(response, 200);
        Assert.Equal("report\"2024\".csv", preview["file_name"]!.ToString());
    }

    [Fact]
    public async Task An_upload_slower_than_its_limit_is_a_408_problem()
    {
        await using var api = await TestApi.StartAsync(o => o.MaxUploadDuration = TimeSpan.FromMinutes(1), fakeTime: true, runJobs: false);
        var neverEnds = new TaskCompletionSource();
        var upload = new MultipartFormDataContent { { new StalledContent("Email\nann@x.com\n"u8.ToArray(), neverEnds.Task), "file", "slow.csv" } };

        var response = api.Client.PostAsync("/leads/import/preview", upload);
        while (!response.IsCompleted)
        {
            // The deadline starts when the handler begins reading: move the clock until it has passed.
            api.Time!.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAny(response, Task.Delay(10));
        }

        var problem = await TestApi.ExpectProblem(await response, 408);
        Assert.Equal("Upload too slow", problem["title"]!.ToString());
        neverEnds.SetResult();
    }

    /// <summary>Sends its bytes, then nothing until <paramref name="end"/> completes, as a client on a stalled line.</summary>
    private sealed class StalledContent(byte[] head, Task end) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(head);
            await stream.FlushAsync();
            await end;
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>Posts one <c>file</c> part with its Content-Disposition file name and Content-Type written as given.</summary>
    private Task<HttpResponseMessage> PostRawPartAsync(string fileNameParameter, string contentType, byte[] content)
    {
        const string boundary = "raw-boundary";
        var head = System.Text.Encoding.UTF8.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; {fileNameParameter}\r\nContent-Type: {contentType}\r\n\r\n");
        var body = new ByteArrayContent([.. head, .. content, .. System.Text.Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n")]);
        body.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        return _api.Client.PostAsync("/leads/import/preview", body);
    }

    [Fact]
    public async Task Png_bytes_named_csv_are_415_by_content()
    {
        var upload = TestApi.CsvUpload([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "leads.csv", "text/csv");

        var problem = await TestApi.ExpectProblem(await _api.Client.PostAsync("/leads/import/preview", upload), 415);

        Assert.Contains("PNG", problem["detail"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_content_type_with_an_image_name_is_415()
    {
        var upload = TestApi.CsvUpload("Email\na@x.com\n", "photo.png", "image/png");

        await TestApi.ExpectProblem(await _api.Client.PostAsync("/leads/import/preview", upload), 415);
    }

    [Fact]
    public async Task A_body_that_is_not_multipart_has_no_file_part_and_is_400()
    {
        var response = await _api.Client.PostAsync("/leads/import/preview", new StringContent("Email\na@x.com\n", Encoding.UTF8, "text/csv"));

        Assert.Contains("multipart/form-data", (await TestApi.ExpectProblem(response, 400))["detail"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preview_quota_is_429_with_retry_after()
    {
        for (var i = 0; i < 3; i++)
        {
            await _api.PreviewAsync("Email\na@x.com\n");
        }

        var response = await _api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload("Email\na@x.com\n"));

        await TestApi.ExpectProblem(response, 429);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(3500), TimeSpan.FromSeconds(3600));
    }

    [Fact]
    public async Task An_authenticated_caller_without_an_ou_is_403_and_an_anonymous_one_401()
    {
        using var noOu = new HttpRequestMessage(HttpMethod.Post, "/leads/import/preview") { Content = TestApi.CsvUpload("Email\n") };
        noOu.Headers.Add("X-Test-Ou", "none");
        _api.Client.DefaultRequestHeaders.Remove("X-Test-Ou");

        await TestApi.ExpectProblem(await _api.Client.SendAsync(noOu), 403);
        await TestApi.ExpectProblem(await _api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload("Email\n")), 401);
    }
}
