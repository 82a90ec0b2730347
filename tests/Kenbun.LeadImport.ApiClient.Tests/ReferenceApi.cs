using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Kenbun.LeadImport.ApiClient.Tests;

/// <summary>
/// The library's whole HTTP API as a host maps it (in-memory stores, bearer authentication required), on a test server:
/// what the published OpenAPI document describes, and what the generated client talks to. A bearer token is the OU.
/// </summary>
internal sealed class ReferenceApi : IAsyncDisposable
{
    /// <summary>The address the published document names, the sample host's.</summary>
    public const string ServerUrl = "http://localhost:5080";

    private readonly WebApplication _app;

    private ReferenceApi(WebApplication app) => _app = app;

    public static async Task<ReferenceApi> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddLeadImport(o => o.WorkerPollInterval = TimeSpan.FromMilliseconds(20)).UseInMemoryStores();
        builder.Services.AddAuthentication("Bearer").AddScheme<AuthenticationSchemeOptions, OuTokenHandler>("Bearer", null);
        builder.Services.AddAuthorization();
        builder.Services.AddOpenApi(options => options
            .AddLeadImport()
            .AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Kenbun.LeadImport",
                    Version = "v1",
                    Description = "Bulk import of sales leads from CSV files: preview, start with mappings, watch the job.",
                };
                document.Servers = [new OpenApiServer { Url = ServerUrl }];
                return Task.CompletedTask;
            }));
        var app = builder.Build();
        app.MapOpenApi();
        app.MapLeadImport().RequireAuthorization();
        app.MapLeadImportErasure().RequireAuthorization();
        await app.StartAsync();
        return new ReferenceApi(app);
    }

    /// <summary>A handler that sends requests to the test server.</summary>
    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Accepts <c>Authorization: Bearer &lt;ou&gt;</c>: the token is the caller's OU claim.</summary>
    private sealed class OuTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            Claim[] claims = [new(ClaimTypes.Name, "someone"), new("ou", header["Bearer ".Length..])];
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name)), Scheme.Name)));
        }
    }
}
