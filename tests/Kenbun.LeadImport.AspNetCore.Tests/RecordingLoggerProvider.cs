using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>Keeps every log entry as its level and <c>category: message</c>, for tests that read what was logged.</summary>
internal sealed class RecordingLoggerProvider(ConcurrentQueue<(LogLevel, string)> logged) : ILoggerProvider
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
