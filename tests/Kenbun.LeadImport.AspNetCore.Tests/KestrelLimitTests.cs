using System.Net;
using Kenbun.LeadImport.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// Request limits on real Kestrel (the test server has no request-size feature, so these could not fail there): the
/// preview raises Kestrel's per-request limit to the file limit plus multipart overhead, and stops reading at the limit;
/// what Kestrel itself refuses while a handler reads (<c>BadHttpRequestException</c>) is the library's problem, never the
/// framework's exception page, which in Development echoes the request's headers.
/// </summary>
public sealed class KestrelLimitTests : IAsyncLifetime
{
    private const long Limit = 10 * 1024 * 1024;

    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private long _bodyBytesRead;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024).UseUrls("http://127.0.0.1:0");
        builder.Services.AddLeadImport().UseInMemoryStores();
        builder.Services.Configure<LeadImportHttpOptions>(o => o.MaxStartRequestBytes = 4 * 1024 * 1024); // Kestrel's limit comes first
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            var counting = new CountingStream(context.Request.Body);
            context.Request.Body = counting;
            context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("ou", "ou-k")], "Test"));
            try
            {
                await next(context);
            }
            finally
            {
                // Only the first request counts: after a broken pipe the client may resend the rest of an endless body.
                Interlocked.CompareExchange(ref _bodyBytesRead, counting.BytesRead, 0);
            }
        });
        _app.MapLeadImport();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
        _client.DefaultRequestHeaders.Authorization = new("Bearer", "SECRET-TOKEN");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_host_with_a_1_mb_body_limit_still_accepts_a_9_mb_csv()
    {
        var response = await _client.PostAsync("/leads/import/preview", TestApi.CsvUpload(Csv(9 * 1024 * 1024)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_file_of_exactly_the_limit_is_accepted_and_one_byte_more_is_413()
    {
        var exact = await _client.PostAsync("/leads/import/preview", TestApi.CsvUpload(Csv(Limit)));
        var over = await _client.PostAsync("/leads/import/preview", TestApi.CsvUpload(Csv(Limit + 1)));

        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Equal("application/problem+json", over.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_that_never_ends_is_stopped_soon_after_the_limit_and_leaves_nothing()
    {
        HttpResponseMessage? response = null;
        try
        {
            response = await _client.PostAsync("/leads/import/preview", GeneratedUpload.AsContent());
        }
        catch (HttpRequestException)
        {
            // Kestrel may close the connection while the client is still sending; the server side is what counts.
        }

        if (response is not null)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        await Task.Delay(200);
        // Kestrel counts what arrives, ahead of what the handler has consumed, so the handler may stop a little short of
        // the file limit; it never reads past the limit plus the multipart allowance, nor stops at the host's 1 MB.
        Assert.InRange(Interlocked.Read(ref _bodyBytesRead), 2 * 1024 * 1024, Limit + LeadImportEndpoints.MultipartOverhead);
        Assert.Equal(0, (await _app.Services.GetRequiredService<IImportFileStore>().GetPreviewUsageAsync("ou-k", CancellationToken.None)).Count);
        Assert.Equal(0, ((InMemoryStorage)_app.Services.GetRequiredService<LeadImportStorage>()).FileCount);
    }

    [Fact]
    public async Task A_start_body_over_the_servers_own_limit_is_a_413_problem_that_echoes_nothing()
    {
        var body = "{\"file_id\":\"preview_x\",\"notes\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";

        var response = await _client.PostAsync("/leads/import/start", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"title\":\"Request too large\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-TOKEN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    private static byte[] Csv(long size)
    {
        var bytes = new byte[size];
        var header = "Email\n"u8;
        header.CopyTo(bytes);
        for (var i = header.Length; i < bytes.Length; i++)
        {
            bytes[i] = (i % 64) == 63 ? (byte)'\n' : (byte)'a';
        }

        return bytes;
    }

    /// <summary>Counts what the server reads of a request body.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
