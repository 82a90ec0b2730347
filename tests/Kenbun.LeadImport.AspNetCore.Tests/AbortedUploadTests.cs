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
        var content = new StreamContent(new AbortingMultipart());
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={AbortingMultipart.Boundary}");

        await Assert.ThrowsAnyAsync<Exception>(() => client.PostAsync("/leads/import/preview", content));
        await requestEnded.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, ((InMemoryImportFileStore)app.Services.GetRequiredService<IImportFileStore>()).Count);
        Assert.Contains(logged, entry => entry.Level == LogLevel.Information && entry.Category.Contains("aborted its upload", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, entry => entry.Level > LogLevel.Information);
        await app.StopAsync();
    }

    /// <summary>A multipart upload whose client gives up after 2 MB.</summary>
    private sealed class AbortingMultipart : Stream
    {
        public const string Boundary = "aborting-boundary";

        private readonly byte[] _head = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\nEmail\n");
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position > 2 * 1024 * 1024)
            {
                throw new IOException("The user closed the browser tab.");
            }

            var span = buffer.AsSpan(offset, Math.Min(count, 16 * 1024));
            for (var i = 0; i < span.Length; i++, _position++)
            {
                span[i] = _position < _head.Length ? _head[_position] : (_position % 32) == 31 ? (byte)'\n' : (byte)'a';
            }

            return span.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class RecordingLoggerProvider(ConcurrentQueue<(LogLevel, string)> logged) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, logged);

        public void Dispose()
        {
        }

        private sealed class RecordingLogger(string category, ConcurrentQueue<(LogLevel, string)> logged) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logged.Enqueue((logLevel, category + ": " + formatter(state, exception)));
        }
    }
}
