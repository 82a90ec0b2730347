using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary><c>UseSqlite(connectionString, options => …)</c>: values reach every connection; bad values fail at registration.</summary>
public sealed class SqliteStoreOptionsTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Configured_cache_and_busy_timeout_are_set_on_each_connection()
    {
        var database = new SqliteDatabase(_database.ConnectionString, new SqliteStoreOptions { CacheSizeKib = 4096, BusyTimeout = TimeSpan.FromSeconds(5) });

        await using var connection = await database.OpenAsync(CancellationToken.None);

        Assert.Equal(-4096L, await connection.ScalarAsync("PRAGMA cache_size", CancellationToken.None));
        Assert.Equal(5000L, await connection.ScalarAsync("PRAGMA busy_timeout", CancellationToken.None));
        Assert.Equal(16384L, await connection.ScalarAsync("PRAGMA page_size", CancellationToken.None));
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
}
