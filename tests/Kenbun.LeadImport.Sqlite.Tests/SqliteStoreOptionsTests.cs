using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>
/// <c>UseSqlite(connectionString, options => …)</c>: bound from <c>LeadImport:Sqlite</c>, then code; values reach the
/// connections (the cache only the one that commits); bad values in code fail at registration, bad configured ones when the host starts.
/// </summary>
public sealed class SqliteStoreOptionsTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Configured_busy_timeout_and_checkpoint_threshold_are_set_on_each_connection()
    {
        await using var database = new SqliteDatabase(_database.ConnectionString, new SqliteStoreOptions { CacheSizeKib = 4096, BusyTimeout = TimeSpan.FromSeconds(5) });

        await using var connection = await database.OpenAsync(CancellationToken.None);

        Assert.Equal(5000L, await connection.ScalarAsync("PRAGMA busy_timeout", CancellationToken.None));
        Assert.Equal(16384L, await connection.ScalarAsync("PRAGMA page_size", CancellationToken.None));
        // Commits checkpoint by themselves only once the log is as large as it is cut back to: 64 MiB of 16 KiB pages.
        Assert.Equal(4096L, await connection.ScalarAsync("PRAGMA wal_autocheckpoint", CancellationToken.None));
    }

    [Theory]
    [InlineData(true, -4096L)]
    [InlineData(false, -2000L)]
    public async Task A_write_transaction_keeps_the_configured_cache_only_when_it_writes_all_over_the_identifier_index(bool withCommitCache, long expected)
    {
        // Identifier rewrites ask for it; most writes touch a few rows and keep SQLite's default.
        await using var database = new SqliteDatabase(_database.ConnectionString, new SqliteStoreOptions { CacheSizeKib = 4096 });

        var cacheSize = await database.WriteAsync(
            connection => connection.ScalarAsync("PRAGMA cache_size", CancellationToken.None), CancellationToken.None, withCommitCache);

        Assert.Equal(expected, cacheSize);
    }

    [Fact]
    public async Task The_configured_cache_is_the_commit_connections_and_every_other_keeps_sqlites_default()
    {
        // Another connection's commit empties a connection's cache, so only the one that commits keeps a large one.
        await using var database = new SqliteDatabase(_database.ConnectionString, new SqliteStoreOptions { CacheSizeKib = 4096 });
        var commits = new SqliteSerialConnection(database, withCommitCache: true);

        var (cacheSize, handle) = await commits.RunAsync(
            async s => (await s.Connection.ScalarAsync("PRAGMA cache_size", CancellationToken.None), s.Connection.Handle!.DangerousGetHandle()),
            CancellationToken.None);
        commits.Dispose();

        Assert.Equal(-4096L, cacheSize);
        // Taking every idle connection at once takes the commit connection again: it comes back with the default.
        var connections = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => database.OpenAsync(CancellationToken.None)));
        try
        {
            Assert.Contains(handle, connections.Select(c => c.Handle!.DangerousGetHandle()));
            foreach (var connection in connections)
            {
                Assert.Equal(-2000L, await connection.ScalarAsync("PRAGMA cache_size", CancellationToken.None));
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(0, 30, "CacheSizeKib")]
    [InlineData(-1, 30, "CacheSizeKib")]
    [InlineData(1024, 0, "BusyTimeout")]
    public void A_bad_value_fails_at_registration_naming_it(int cacheSizeKib, int busyTimeoutSeconds, string property)
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddLeadImport().UseSqlite(
            _database.ConnectionString,
            options =>
            {
                options.CacheSizeKib = cacheSizeKib;
                options.BusyTimeout = TimeSpan.FromSeconds(busyTimeoutSeconds);
            }));

        Assert.Equal(property, error.ParamName);
        Assert.Contains(property, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_come_from_configuration_then_code_and_reach_the_connections()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LeadImport:Sqlite:CacheSizeKib"] = "8192",
            ["LeadImport:Sqlite:BusyTimeout"] = "00:00:07",
        });
        builder.Services.AddLeadImport().UseSqlite(_database.ConnectionString, options => options.BusyTimeout = TimeSpan.FromSeconds(3));
        using var host = builder.Build();

        await using var connection = await host.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None, withCommitCache: true);

        Assert.Equal(-8192L, await connection.ScalarAsync("PRAGMA cache_size", CancellationToken.None));
        Assert.Equal(3000L, await connection.ScalarAsync("PRAGMA busy_timeout", CancellationToken.None));
    }

    [Fact]
    public async Task A_bad_configured_value_stops_the_host_naming_it()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["LeadImport:Sqlite:CacheSizeKib"] = "0" });
        builder.Services.AddLeadImport().UseSqlite(_database.ConnectionString);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("CacheSizeKib", error.Message, StringComparison.Ordinal);
    }
}
