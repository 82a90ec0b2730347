using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Storage.Tests;

namespace Kenbun.LeadImport.Tests.Storage;

public class InMemoryImportFileStoreTests : ImportFileStoreTests
{
    protected override Task<IImportFileStore> CreateStore(TimeProvider timeProvider) =>
        Task.FromResult<IImportFileStore>(new InMemoryImportFileStore(timeProvider));
}

public sealed class TempDirectoryImportFileStoreTests : ImportFileStoreTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kenbun-file-store-" + Guid.NewGuid().ToString("N"));

    protected override Task<IImportFileStore> CreateStore(TimeProvider timeProvider) =>
        Task.FromResult<IImportFileStore>(new TempDirectoryImportFileStore(timeProvider, _directory));

    public override Task DisposeAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Client_file_names_never_reach_the_disk()
    {
        var store = new TempDirectoryImportFileStore(TimeProvider.System, _directory);
        await store.WriteContentAsync("ou/../../x", ImportIds.NewFileId(), DateTimeOffset.UtcNow.AddHours(1), new MemoryStream([1, 2]), CancellationToken.None);

        var files = Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_directory, f)).ToList();

        Assert.All(files, f => Assert.Matches(@"^[0-9a-f]{32}/preview_[A-Za-z0-9_-]{22}\.(csv|json)$", f));
    }
}
