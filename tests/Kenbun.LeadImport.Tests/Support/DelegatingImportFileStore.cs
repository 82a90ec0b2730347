using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Tests.Support;

/// <summary>
/// Passes every call to another file store; a test overrides the one call whose timing it needs to control, and puts it
/// in storage with <see cref="StorageWithFiles"/>.
/// </summary>
internal abstract class DelegatingImportFileStore(IImportFileStore inner) : IImportFileStore
{
    public virtual ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken) =>
        inner.WriteContentAsync(ou, fileId, expiresAt, content, cancellationToken);

    public virtual ValueTask<Stream?> OpenContentAsync(string ou, string fileId, CancellationToken cancellationToken) => inner.OpenContentAsync(ou, fileId, cancellationToken);

    public virtual ValueTask<bool> PublishAsync(ImportFile file, int maxPreviewsPerOu, CancellationToken cancellationToken) =>
        inner.PublishAsync(file, maxPreviewsPerOu, cancellationToken);

    public virtual ValueTask<ImportFile?> FindAsync(string ou, string fileId, CancellationToken cancellationToken) => inner.FindAsync(ou, fileId, cancellationToken);

    public virtual ValueTask<PreviewUsage> GetPreviewUsageAsync(string ou, CancellationToken cancellationToken) => inner.GetPreviewUsageAsync(ou, cancellationToken);

    public virtual ValueTask DeleteAsync(string ou, string fileId, CancellationToken cancellationToken) => inner.DeleteAsync(ou, fileId, cancellationToken);
}
