using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>
/// <c>UseSqlite("Data Source=relative/path")</c> means a file under the host's content root, wherever the process was
/// started from, and the host logs the full path.
/// </summary>
public sealed class SqlitePathTests : IDisposable
{
    private readonly string _contentRoot = Path.Combine(Path.GetTempPath(), "kenbun-root-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_contentRoot))
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
    }

    [Fact]
    public async Task A_relative_data_source_is_a_file_under_the_content_root_and_its_full_path_is_logged()
    {
        // The bug: it resolved against the working directory, so a host started elsewhere made a second, empty database.
        Directory.CreateDirectory(_contentRoot);
        var logs = new LogRecorder();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _contentRoot });
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddLeadImport().UseSqlite("Data Source=data/leads.db");

        using (var host = builder.Build())
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        var expected = Path.Combine(_contentRoot, "data", "leads.db");
        Assert.True(File.Exists(expected), $"No database at {expected}");
        Assert.Contains(logs.Messages, m => m.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Data Source=:memory:", ":memory:")]
    [InlineData("Data Source=shared;Mode=Memory;Cache=Shared", "shared")]
    public void A_data_source_that_is_not_a_file_is_left_as_it_is(string connectionString, string dataSource) =>
        Assert.Equal(dataSource, new SqliteDatabase(connectionString, new SqliteStoreOptions(), _contentRoot).DataSource);

    [Fact]
    public void An_absolute_path_is_kept()
    {
        var path = Path.Combine(_contentRoot, "elsewhere", "leads.db");

        Assert.Equal(path, new SqliteDatabase($"Data Source={path}", new SqliteStoreOptions(), "/somewhere/else").DataSource);
    }

    /// <summary>Keeps every formatted log message.</summary>
    private sealed class LogRecorder : ILoggerProvider, ILogger
    {
        public List<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
            {
                Messages.Add(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
