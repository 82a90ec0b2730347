using System.Collections.Concurrent;
using System.Text;
using Kenbun.LeadImport.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// CONTRACT §2: an upload the client aborts, or that arrives slower than its limit, leaves nothing stored and logs no
/// error (an aborted one nothing above Information), on a real Kestrel server.
/// </summary>
public class AbortedUploadTests
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category)> _logged = new();
    private readonly TaskCompletionSource _requestEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task An_aborted_upload_leaves_nothing_and_logs_nothing_above_information()
    {
        await using var app = await StartAsync(o => { });
        using var client = ClientOf(app);

        await Assert.ThrowsAnyAsync<Exception>(() => client.PostAsync("/leads/import/preview", GeneratedUpload.AsContent(failAfterBytes: 2 * 1024 * 1024)));
        await _requestEnded.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, ((InMemoryStorage)app.Services.GetRequiredService<LeadImportStorage>()).FileCount);
        Assert.Contains(_logged, entry => entry.Level == LogLevel.Information && entry.Category.Contains("aborted its upload", StringComparison.Ordinal));
        Assert.DoesNotContain(_logged, entry => entry.Level > LogLevel.Information);
        await app.StopAsync();
    }

    [Fact]
    public async Task An_upload_slower_than_its_limit_is_408_closes_the_connection_and_logs_no_error()
    {
        await using var app = await StartAsync(o => o.MaxUploadDuration = TimeSpan.FromMilliseconds(300));
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        // A raw connection, since HttpClient hands over no answer before it has sent the whole body: the request
        // announces more bytes than it sends, and then sends nothing more.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(address.Host, address.Port);
        var stream = socket.GetStream();
        var part = Encoding.ASCII.GetBytes(
            $"--{GeneratedUpload.Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.csv\"\r\nContent-Type: text/csv\r\n\r\nEmail\na@x.com\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /leads/import/preview HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: multipart/form-data; boundary={GeneratedUpload.Boundary}\r\nContent-Length: 1000000\r\n\r\n"));
        await stream.WriteAsync(part);
        var answer = await ReadHeadAsync(new StreamReader(stream, Encoding.ASCII)).WaitAsync(TimeSpan.FromSeconds(60));
        socket.Close();
        await _requestEnded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await app.StopAsync();

        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("Connection: close", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, ((InMemoryStorage)app.Services.GetRequiredService<LeadImportStorage>()).FileCount);
        Assert.DoesNotContain(_logged, entry => entry.Level > LogLevel.Warning);
    }

    /// <summary>The answer's status line and headers.</summary>
    private static async Task<string> ReadHeadAsync(StreamReader answer)
    {
        var head = new StringBuilder();
        while (await answer.ReadLineAsync() is { Length: > 0 } line)
        {
            head.Append(line).Append('\n');
        }

        return head.ToString();
    }

    private static HttpClient ClientOf(WebApplication app) =>
        new() { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

    private async Task<WebApplication> StartAsync(Action<LeadImportOptions> configure)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(new RecordingLoggerProvider(_logged));
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddLeadImport(configure).UseInMemoryStores();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("ou", "ou-a")], "Test"));
            try
            {
                await next(context);
            }
            finally
            {
                _requestEnded.TrySetResult();
            }
        });
        app.MapLeadImport();
        await app.StartAsync();
        return app;
    }
}
