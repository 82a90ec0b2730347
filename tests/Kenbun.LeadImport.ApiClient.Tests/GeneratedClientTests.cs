using System.Net.Http.Headers;
using System.Text;
using Kenbun.LeadImport.Client;
using Kenbun.LeadImport.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Kenbun.LeadImport.ApiClient.Tests;

/// <summary>
/// The client Kiota generates from the published document imports a file end to end — preview (multipart), start
/// (JSON with enums and maps), poll, errors by page, failed rows (CSV) — reads the settings an import form needs,
/// discards a preview, and gets problems as typed exceptions.
/// </summary>
public sealed class GeneratedClientTests : IAsyncLifetime
{
    private ReferenceApi _api = null!;
    private HttpClient _http = null!;
    private HttpClientRequestAdapter _adapter = null!;
    private LeadImportClient _client = null!;

    public async Task InitializeAsync()
    {
        _api = await ReferenceApi.StartAsync();
        _http = new HttpClient(_api.CreateHandler()) { BaseAddress = new Uri("http://localhost/") };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "ou-acme");
        // The adapter takes its base URL from HttpClient.BaseAddress; the document's server is only the fallback.
        _adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: _http);
        _client = new LeadImportClient(_adapter);
    }

    public async Task DisposeAsync()
    {
        _adapter.Dispose();
        _http.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task The_generated_client_previews_starts_polls_pages_errors_and_downloads_failed_rows()
    {
        var preview = await PreviewAsync("""
            Email,First Name,Phone
            ann@example.com,Ann,+1 415 555 0100
            not-an-email,Bob,
            ANN@example.com ,Annie,
            carl@example.com,Carl,+1 415 555 0199
            """);

        Assert.Equal(["Email", "First Name", "Phone"], preview.Headers);
        Assert.Equal(4L, preview.RowCount);
        Assert.Equal(["Email"], preview.AutoDetectedIdentifiers!.EmailColumns);
        Assert.Equal("first_name", preview.SuggestedFieldMappings!.AdditionalData["First Name"]);

        var start = await _client.Leads.Import.Start.PostAsync(new StartRequestBody
        {
            FileId = preview.FileId,
            PrimaryIdentifier = new PrimaryIdentifierBody { Column = "Email", Kind = LeadImportIdentifierKind.Email },
            FieldMappings = new StartRequestBody_field_mappings { AdditionalData = { ["First Name"] = "first_name" } },
            AliasMappings = new StartRequestBody_alias_mappings { AdditionalData = { ["Phone"] = "_alias_phone" } },
            Mode = LeadImportImportMode.Upsert,
        });
        Assert.Equal(LeadImportJobStatus.Queued, start!.Status);
        Assert.Empty(start.IgnoredMappings!);

        var job = _client.Leads.Import.Jobs[start.JobId!];
        var detail = await FinishedAsync(job);
        Assert.Equal(LeadImportJobStatus.Completed, detail.Status);
        Assert.Equal((2L, 1L, 1L), (detail.CreatedCount, detail.UpdatedCount, detail.FailedCount));
        Assert.Equal("_alias_phone", detail.AliasMappings!.AdditionalData["Phone"]);
        Assert.Equal(LeadImportIdentifierKind.Email, detail.PrimaryIdentifier!.Kind);
        Assert.Equal("someone", detail.CreatedBy);

        var errors = await job.Errors.GetAsync(r => { r.QueryParameters.Page = 1; r.QueryParameters.Limit = 10; });
        Assert.Equal(1L, errors!.Total);
        Assert.Equal((2L, "not-an-email"), (errors.Errors![0].Row!.Value, errors.Errors[0].Value));

        var listed = await _client.Leads.Import.Jobs.GetAsync(r => r.QueryParameters.Limit = 5);
        Assert.Equal((start.JobId, "someone"), (Assert.Single(listed!.Jobs!).JobId, listed.Jobs![0].CreatedBy));

        await using var failedRows = await job.FailedRowsCsv.GetAsync();
        using var reader = new StreamReader(failedRows!, Encoding.UTF8);
        var lines = (await reader.ReadToEndAsync()).ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Email,First Name,Phone,error", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("not-an-email,Bob,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_generated_client_reads_the_settings_with_their_lists_as_its_enums()
    {
        var settings = (await _client.Leads.Import.Settings.GetAsync())!;

        Assert.Equal(
            [LeadImportIdentifierKind.Email, LeadImportIdentifierKind.Phone, LeadImportIdentifierKind.Cookie, LeadImportIdentifierKind.External_id, LeadImportIdentifierKind.Social],
            settings.IdentifierKinds!);
        Assert.Equal(
            [LeadImportAliasTarget.Alias_email, LeadImportAliasTarget.Alias_phone, LeadImportAliasTarget.Alias_cookie, LeadImportAliasTarget.Alias_external_id, LeadImportAliasTarget.Alias_social],
            settings.AliasTargets!);
        Assert.Equal([LeadImportImportMode.Upsert, LeadImportImportMode.Create_only, LeadImportImportMode.Update_only], settings.Modes!);
        Assert.Equal(LeadImportProfileField.First_name, settings.ProfileFields![0]);
        Assert.Equal(8, settings.ProfileFields.Count);
        Assert.DoesNotContain(null, settings.ProfileFields);
        Assert.Equal((10_485_760L, 100, 3600L, 50, 20), (settings.MaxFileBytes, settings.MaxPageSize, settings.PreviewLifetimeSeconds, settings.MaxPreviewsPerOu, settings.MaxQueuedJobsPerOu));
        Assert.Null(settings.DefaultPhoneRegion);
        Assert.Contains("GB", settings.PhoneRegions!);
    }

    [Fact]
    public async Task The_generated_client_discards_a_preview_and_then_gets_its_404_as_a_problem()
    {
        var preview = await PreviewAsync("Email\nann@example.com\n");

        await _client.Leads.Import.Previews[preview.FileId!].DeleteAsync();

        var start = await Assert.ThrowsAsync<ProblemDetails>(() => _client.Leads.Import.Start.PostAsync(new StartRequestBody
        {
            FileId = preview.FileId,
            PrimaryIdentifier = new PrimaryIdentifierBody { Column = "Email", Kind = LeadImportIdentifierKind.Email },
        }));
        var again = await Assert.ThrowsAsync<ProblemDetails>(() => _client.Leads.Import.Previews[preview.FileId!].DeleteAsync());
        Assert.Equal((404, 404), (start.ResponseStatusCode, again.ResponseStatusCode));
        Assert.StartsWith("No preview with this file_id can be discarded", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_job_is_the_generated_problem_exception_with_the_detail_as_its_message()
    {
        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => _client.Leads.Import.Jobs["no-such-job"].GetAsync());

        Assert.Equal(404, problem.ResponseStatusCode);
        Assert.Equal("No job with this id exists in your OU.", problem.Message);
    }

    [Fact]
    public async Task A_limit_out_of_range_is_a_validation_problem_naming_it()
    {
        var problem = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => _client.Leads.Import.Jobs.GetAsync(r => r.QueryParameters.Limit = 100_000));

        Assert.Equal(400, problem.ResponseStatusCode);
        Assert.True(problem.Errors!.AdditionalData.ContainsKey("limit"));
    }

    [Fact]
    public async Task A_start_naming_a_column_the_file_lacks_is_a_validation_problem()
    {
        var preview = await PreviewAsync("Email\nann@example.com\n");

        var problem = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => _client.Leads.Import.Start.PostAsync(new StartRequestBody
        {
            FileId = preview.FileId,
            PrimaryIdentifier = new PrimaryIdentifierBody { Column = "E-mail address", Kind = LeadImportIdentifierKind.Email },
        }));

        Assert.Equal(400, problem.ResponseStatusCode);
        Assert.Contains("primary_identifier.column", problem.Errors!.AdditionalData.Keys);
    }

    [Fact]
    public async Task Without_a_token_the_call_is_refused_as_unauthorized()
    {
        _http.DefaultRequestHeaders.Authorization = null;

        var refused = await Assert.ThrowsAnyAsync<ApiException>(() => _client.Leads.Import.Jobs.GetAsync());

        Assert.Equal(401, refused.ResponseStatusCode);
    }

    private async Task<PreviewResponse> PreviewAsync(string csv)
    {
        // multipart/form-data with the file in a part named "file", with a file name and its own content type.
        var form = new MultipartBody();
        form.AddOrReplacePart("file", "text/csv", Encoding.UTF8.GetBytes(csv.ReplaceLineEndings("\n")), "leads.csv");
        return (await _client.Leads.Import.Preview.PostAsync(form))!;
    }

    /// <summary>Polls until the job reaches a final status; the in-memory worker runs it in the background.</summary>
    private static async Task<JobDetailResponse> FinishedAsync(Kenbun.LeadImport.Client.Leads.Import.Jobs.Item.WithJobItemRequestBuilder job)
    {
        for (var polls = 0; polls < 3000; polls++)
        {
            var detail = (await job.GetAsync())!;
            if (detail.Status is LeadImportJobStatus.Completed or LeadImportJobStatus.Failed or LeadImportJobStatus.Cancelled)
            {
                return detail;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The job did not finish in 3,000 polls.");
    }
}
