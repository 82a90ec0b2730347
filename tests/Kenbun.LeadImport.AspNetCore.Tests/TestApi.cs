using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// A real <see cref="WebApplication"/> on the test server with the lead import mapped as a host would map it. Requests
/// carry their OU in the <c>X-Test-Ou</c> header (a test authentication scheme turns it into the <c>ou</c> claim).
/// </summary>
internal sealed class TestApi : IAsyncDisposable
{
    public const string Ou = "ou-a";

    private readonly WebApplication _app;

    private TestApi(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public FakeTimeProvider? Time { get; private init; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestApi> StartAsync(
        Action<LeadImportOptions>? configure = null,
        bool fakeTime = false,
        bool runJobs = true,
        Action<WebApplicationBuilder>? host = null,
        Action<WebApplication>? endpoints = null,
        Action<WebApplication>? mapLeadImport = null)
    {
        var builder = WebApplication.CreateBuilder();

        // The sample host's appsettings.json is copied next to these tests (HostingTests run the sample): the API
        // under test reads no settings file, only what each test configures.
        foreach (var file in builder.Configuration.Sources.OfType<FileConfigurationSource>().ToList())
        {
            builder.Configuration.Sources.Remove(file);
        }

        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var time = fakeTime ? new FakeTimeProvider(new DateTimeOffset(2025, 1, 15, 10, 0, 0, TimeSpan.Zero)) : null;
        if (time is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(time);
        }

        builder.Services.AddLeadImport(o =>
        {
            o.WorkerPollInterval = TimeSpan.FromMilliseconds(20);
            configure?.Invoke(o);
        }).UseInMemoryStores();
        if (!runJobs)
        {
            builder.Services.RemoveAll<IHostedService>();
        }

        builder.Services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>("Test", null);
        builder.Services.AddAuthorization();
        host?.Invoke(builder);
        var app = builder.Build();
        app.UseAuthentication();
        if (mapLeadImport is null)
        {
            app.MapLeadImport();
        }
        else
        {
            mapLeadImport(app);
        }

        endpoints?.Invoke(app);
        await app.StartAsync();
        var client = app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Test-Ou", Ou);
        return new TestApi(app, client) { Time = time };
    }

    public static MultipartFormDataContent CsvUpload(byte[] content, string fileName = "leads.csv", string contentType = "text/csv")
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    public static MultipartFormDataContent CsvUpload(string csv, string fileName = "leads.csv", string contentType = "text/csv") =>
        CsvUpload(Encoding.UTF8.GetBytes(csv), fileName, contentType);

    public async Task<JsonObject> PreviewAsync(string csv, string prefix = "/leads/import")
    {
        var response = await Client.PostAsync($"{prefix}/preview", CsvUpload(csv));
        return await Expect(response, 200);
    }

    public const string ByEmail = """{"primary_identifier":{"column":"Email","kind":"email"}}""";

    /// <summary>Previews <paramref name="csv"/> and starts it with <paramref name="body"/>, its file id added.</summary>
    public async Task<JsonObject> StartAsync(string csv, string body = ByEmail)
    {
        var preview = await PreviewAsync(csv);
        return await Expect(await PostJsonAsync("/leads/import/start", WithFileId(body, preview["file_id"]!.ToString())), 202);
    }

    public static string WithFileId(string body, string fileId) => "{\"file_id\":\"" + fileId + "\"," + body.TrimStart()[1..];

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonObject> WaitForJobAsync(string jobId)
    {
        for (var i = 0; i < 500; i++)
        {
            var job = await Expect(await Client.GetAsync($"/leads/import/jobs/{jobId}"), 200);
            if (job["status"]!.ToString() is "completed" or "failed" or "cancelled")
            {
                return job;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Job {jobId} did not finish.");
    }

    public static async Task<JsonObject> Expect(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> ExpectProblem(HttpResponseMessage response, int status)
    {
        var problem = await Expect(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, (int)problem["status"]!);
        if (status is 400 or 401 or 403 or 404 or 409 or 415)
        {
            Assert.StartsWith("https://tools.ietf.org/html/rfc9110#section-15.5.", problem["type"]?.ToString(), StringComparison.Ordinal);
        }

        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.ToString()));
        return problem;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// Authenticates a request carrying <c>X-Test-Ou</c>; the value <c>none</c> authenticates without an OU. The caller's
    /// name claim is <c>someone</c>, or <c>X-Test-User</c> when the request has it (<c>-</c>: no name claim); its
    /// <c>sub</c> claim is <c>user-42</c>.
    /// </summary>
    private sealed class TestAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue("X-Test-Ou", out var ou))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var name = Request.Headers.TryGetValue("X-Test-User", out var user) ? user.ToString() : "someone";
            List<Claim> claims = [new Claim("sub", "user-42")];
            if (name != "-")
            {
                claims.Add(new Claim(ClaimTypes.Name, name));
            }

            if (ou != "none")
            {
                claims.Add(new Claim("ou", ou!));
            }

            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, "Test")), "Test")));
        }
    }
}
