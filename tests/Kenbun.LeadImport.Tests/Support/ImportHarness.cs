using System.Text;
using Kenbun.LeadImport.Preview;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kenbun.LeadImport.Tests.Support;

/// <summary>The lead import as a host registers it, on in-memory stores and a clock the test moves.</summary>
internal sealed class ImportHarness : IDisposable
{
    public const string Ou = "ou-test";

    private readonly ServiceProvider _provider;

    public ImportHarness(Action<LeadImportOptions>? configure = null, Action<LeadImportBuilder>? storage = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        var builder = services.AddLeadImport(configure);
        (storage ?? (b => b.UseInMemoryStores()))(builder);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));

    public ILeadImportService Service => _provider.GetRequiredService<ILeadImportService>();

    public IImportFileStore Files => _provider.GetRequiredService<IImportFileStore>();

    public LeadImportOptions Options => _provider.GetRequiredService<IOptions<LeadImportOptions>>().Value;

    public Task<ImportPreview> PreviewAsync(string csv, string fileName = "leads.csv", string ou = Ou) =>
        PreviewAsync(Encoding.UTF8.GetBytes(csv), fileName, ou);

    public Task<ImportPreview> PreviewAsync(byte[] bytes, string fileName = "leads.csv", string ou = Ou) =>
        Service.PreviewAsync(ou, fileName, new MemoryStream(bytes), CancellationToken.None);

    public async Task<T> PreviewFailsAsync<T>(string csv)
        where T : Exception =>
        await Assert.ThrowsAsync<T>(() => PreviewAsync(csv));

    public async Task<T> PreviewFailsAsync<T>(byte[] bytes)
        where T : Exception =>
        await Assert.ThrowsAsync<T>(() => PreviewAsync(bytes));

    public void Dispose() => _provider.Dispose();
}
