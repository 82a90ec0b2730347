using System.Net.Http.Json;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// Storage trouble on any endpoint is answered as CONTRACT §6 says: 503 with <c>Retry-After</c> while the store is
/// unavailable, 507 when it is full, a 500 problem for a defect; never with the exception's type or message.
/// </summary>
public class StorageFailureEndpointTests : IAsyncLifetime
{
    private const string Csv = "Email\nann@x.com\n";

    private FailingStorage _storage = null!;
    private TestApi _api = null!;

    public async Task InitializeAsync() =>
        _api = await TestApi.StartAsync(runJobs: false, host: b => b.Services.AddLeadImport().UseStorage(p => _storage = new FailingStorage(p.GetRequiredService<TimeProvider>())));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public static TheoryData<string> Operations() => ["preview", "start", "cancel", "delete"];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_full_store_is_507(string operation)
    {
        var response = await FailAsync(operation, StorageFailure.OutOfSpace("The disk holding the database is full."));

        var problem = await TestApi.ExpectProblem(response, 507);
        Assert.Equal("Storage full", problem["title"]!.ToString());
        await AssertSaysNothingOfTheException(response);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task An_unavailable_store_is_503_with_retry_after(string operation)
    {
        var response = await FailAsync(operation, StorageFailure.Unavailable("The database is locked by another connection or process."));

        var problem = await TestApi.ExpectProblem(response, 503);
        Assert.Equal("Storage unavailable", problem["title"]!.ToString());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.6.4", problem["type"]!.ToString());
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        await AssertSaysNothingOfTheException(response);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_defect_is_a_500_problem_without_the_exception(string operation)
    {
        var response = await FailAsync(operation, StorageFailure.Defect("A database constraint failed."));

        var problem = await TestApi.ExpectProblem(response, 500);
        Assert.Equal("Server error", problem["title"]!.ToString());
        await AssertSaysNothingOfTheException(response);
    }

    [Fact]
    public async Task The_store_answers_again_once_it_is_back()
    {
        await FailAsync("preview", StorageFailure.Unavailable("The database is locked by another connection or process."));
        _storage.Failure = null;

        await _api.StartAsync(Csv);
    }

    private async Task<HttpResponseMessage> FailAsync(string operation, StorageFailure failure)
    {
        var jobId = operation is "cancel" or "delete" ? (await _api.StartAsync(Csv))["job_id"]!.ToString() : null;
        var fileId = operation == "start" ? (await _api.PreviewAsync(Csv))["file_id"]!.ToString() : null;
        _storage.Failure = new SimulatedStorageException(failure);
        return operation switch
        {
            "preview" => await _api.Client.PostAsync("/leads/import/preview", TestApi.CsvUpload(Csv)),
            "start" => await _api.PostJsonAsync("/leads/import/start", TestApi.WithFileId(TestApi.ByEmail, fileId!)),
            "cancel" => await _api.Client.PostAsync($"/leads/import/jobs/{jobId}/cancel", null),
            _ => await _api.Client.DeleteAsync($"/leads/import/jobs/{jobId}"),
        };
    }

    private static async Task AssertSaysNothingOfTheException(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("SECRET-DETAIL", text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(SimulatedStorageException), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }
}
