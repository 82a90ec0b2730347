using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// What Kestrel itself refuses while a handler reads the body (<c>BadHttpRequestException</c>) is answered as the
/// library's problem, never by the framework's exception page, which in Development echoes the request's headers.
/// </summary>
public sealed class KestrelLimitTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Limits.MaxRequestBodySize = 1024).UseUrls("http://127.0.0.1:0");
        builder.Services.AddLeadImport().UseInMemoryStores();
        _app = builder.Build();
        _app.Use((context, next) =>
        {
            context.User = new(new System.Security.Claims.ClaimsIdentity([new("ou", TestApi.Ou)], "Test"));
            return next(context);
        });
        _app.MapLeadImport();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address) };
        _client.DefaultRequestHeaders.Authorization = new("Bearer", "SECRET-TOKEN");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_start_body_over_the_servers_own_limit_is_a_413_problem_that_echoes_nothing()
    {
        var body = "{\"file_id\":\"preview_x\",\"field_mappings\":{" + string.Join(',', Enumerable.Range(0, 200).Select(i => $"\"c{i}\":\"notes\"")) + "}}";

        var response = await _client.PostAsync("/leads/import/start", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"title\":\"Request too large\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-TOKEN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }
}
