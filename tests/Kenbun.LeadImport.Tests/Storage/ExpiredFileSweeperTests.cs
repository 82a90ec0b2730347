using System.Text;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Kenbun.LeadImport.Tests.Storage;

/// <summary>The hosted sweep deletes expired previews and abandoned uploads when the host starts and on its interval, by the injected clock.</summary>
public class ExpiredFileSweeperTests
{
    [Fact]
    public async Task An_upload_abandoned_before_the_host_started_is_swept_as_it_starts()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddLeadImport().UseInMemoryStores();
        using var host = builder.Build();
        var storage = (InMemoryStorage)host.Services.GetRequiredService<LeadImportStorage>();
        await storage.Files.WriteContentAsync("ou", ImportIds.NewFileId(), time.GetUtcNow(), new MemoryStream("Email\n"u8.ToArray()), CancellationToken.None);

        await host.StartAsync();

        // The fake clock never moves, so the interval's timer never fires: only the sweep at start can take it.
        await Support.Eventually.HoldsAsync(() => Task.FromResult(storage.FileCount == 0), "the start-up sweep");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_running_host_deletes_expired_previews_on_the_sweep_interval()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddLeadImport(o => o.RetentionSweepInterval = TimeSpan.FromMinutes(5)).UseInMemoryStores();
        using var host = builder.Build();
        await host.StartAsync();
        var storage = (InMemoryStorage)host.Services.GetRequiredService<LeadImportStorage>();
        var import = host.Services.GetRequiredService<ILeadImportService>();
        await import.PreviewAsync("ou", "a.csv", new MemoryStream(Encoding.UTF8.GetBytes("Email\na@x.com\n")), CancellationToken.None);

        await Task.Delay(100);
        time.Advance(TimeSpan.FromMinutes(55));
        await Task.Delay(50);
        Assert.Equal(1, storage.FileCount);

        // The sweeper's timer starts on a background thread (.NET 10 runs ExecuteAsync there): keep ticking until it sweeps.
        for (var i = 0; i < 100 && storage.FileCount > 0; i++)
        {
            time.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(20);
        }

        Assert.Equal(0, storage.FileCount);

        await host.StopAsync();
    }
}
