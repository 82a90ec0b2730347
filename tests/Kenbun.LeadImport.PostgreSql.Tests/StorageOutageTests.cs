using System.Net;
using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// A database that goes away is the <em>unavailable</em> class of CONTRACT §6: the sample host on PostgreSQL answers
/// 503 with <c>Retry-After</c> and reports itself unhealthy while the server is down, and serves again once it is back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StorageOutageTests(PostgresServer server)
{
    [Fact]
    public async Task While_the_database_server_is_down_the_api_answers_503_with_retry_after_and_serves_again_when_it_is_back()
    {
        using var host = await SampleProcess.StartAsync(await server.CreateDatabaseAsync(), storage: "PostgreSql");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health")).StatusCode);

        await server.StopServerAsync();
        try
        {
            using var jobs = await host.Client.GetAsync("/leads/import/jobs");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, jobs.StatusCode);
            Assert.Equal("application/problem+json", jobs.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(jobs.Headers.RetryAfter);
            Assert.Contains("Storage unavailable", await jobs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client.GetAsync("/health")).StatusCode);
        }
        finally
        {
            await server.StartServerAsync();
        }

        // The pool's connections died with the server; the next request gets new ones.
        var deadline = DateTime.UtcNow.AddMinutes(1);
        HttpStatusCode status;
        while ((status = (await host.Client.GetAsync("/leads/import/jobs")).StatusCode) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
