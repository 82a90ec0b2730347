using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>
/// <c>UseSqlite(connectionString, options => …)</c>: bound from <c>LeadImport:Sqlite</c>, then code; values reach every
/// connection; bad values in code fail at registration, bad configured ones when the host starts.
/// </summary>
public sealed class SqliteStoreOptionsTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Configured_cache_busy_timeout_and_checkpoint_threshold_are_set_on_each_connection()
    {
        await using var database = new SqliteDatabase(_database.ConnectionString, new SqliteStoreOptions { CacheSizeKib = 4096, BusyTimeout = TimeSpan.FromSeconds(5) });

        await using var connection = await database.OpenAsync(CancellationToken.None);

        Assert.Equal(-4096L, await connection.ScalarAsync("PRAGMA cache_size", CancellationToken.None));
        Assert.Equal(5000L, await connection.ScalarAsync("PRAGMA busy_timeout", CancellationToken.None));
        Assert.Equal(16384L, await connection.ScalarAsync("PRAGMA page_size", CancellationToken.None));
        // Commits checkpoint by themselves only once the log is as large as it is cut back to: 64 MiB of 16 KiB pages.
        Assert.Equal(4096L, await connection.ScalarAsync("PRAGMA wal_autocheckpoint", CancellationToken.None));
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
    public async Task Values_come_from_configuration_then_code_and_reach_each_connection()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LeadImport:Sqlite:CacheSizeKib"] = "8192",
            ["LeadImport:Sqlite:BusyTimeout"] = "00:00:07",
        });
        builder.Services.AddLeadImport().UseSqlite(_database.ConnectionString, options => options.BusyTimeout = TimeSpan.FromSeconds(3));
        using var host = builder.Build();

        await using var connection = await host.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None);

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
