using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kenbun.LeadImport.ApiClient.Tests;

/// <summary>
/// docs/openapi/lead-import.json, from which clients (and this project's Kiota client) are generated, is the document the
/// library serves today. After a change to the API, refresh it with
/// <c>LEADIMPORT_UPDATE_OPENAPI=1 dotnet test tests/Kenbun.LeadImport.ApiClient.Tests</c> and review its diff.
/// </summary>
public sealed class PublishedDocumentTests
{
    private static readonly string Published = typeof(PublishedDocumentTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PublishedOpenApiDocument").Value!;

    [Fact]
    public async Task The_published_document_is_the_one_the_library_serves()
    {
        await using var api = await ReferenceApi.StartAsync();
        using var http = new HttpClient(api.CreateHandler()) { BaseAddress = new Uri("http://localhost/") };
        var served = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;

        if (Environment.GetEnvironmentVariable("LEADIMPORT_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(Published, served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        Assert.True(
            JsonNode.DeepEquals(served, JsonNode.Parse(await File.ReadAllTextAsync(Published))),
            $"{Published} is not the document the library serves: refresh it with LEADIMPORT_UPDATE_OPENAPI=1 dotnet test tests/Kenbun.LeadImport.ApiClient.Tests, and review the diff.");
    }
}
