using System.Collections.Concurrent;
using Kenbun.LeadImport.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>CONTRACT §2: an upload the client aborts leaves nothing stored and logs no error above Information.</summary>
public class AbortedUploadTests
{
    [Fact]
    public async Task An_aborted_upload_leaves_nothing_and_logs_nothing_above_information()
    {
        var logged = new ConcurrentQueue<(LogLevel Level, string Category)>();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(new RecordingLoggerProvider(logged));
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddLeadImport().UseInMemoryStores();
        await using var app = builder.Build();
        var requestEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Use(async (context, next) =>
        {
            context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("ou", "ou-a")], "Test"));
            try
            {
                await next(context);
            }
            finally
            {
                requestEnded.TrySetResult();
            }
        });
        app.MapLeadImport();
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        await Assert.ThrowsAnyAsync<Exception>(() => client.PostAsync("/leads/import/preview", GeneratedUpload.AsContent(failAfterBytes: 2 * 1024 * 1024)));
        await requestEnded.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, ((InMemoryStorage)app.Services.GetRequiredService<LeadImportStorage>()).FileCount);
        Assert.Contains(logged, entry => entry.Level == LogLevel.Information && entry.Category.Contains("aborted its upload", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, entry => entry.Level > LogLevel.Information);
        await app.StopAsync();
    }
}
