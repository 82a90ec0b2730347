using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Testing;

/// <summary>
/// A file store that forwards every call to <paramref name="inner"/>: derive it to slow down, fail or watch one call in a
/// test, and put it in storage by overriding <see cref="DelegatingStorage.Files"/>.
/// </summary>
/// <param name="inner">The file store that does the work.</param>
public abstract class DelegatingImportFileStore(IImportFileStore inner) : IImportFileStore
{
    /// <inheritdoc />
    public virtual ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken) =>
        inner.WriteContentAsync(ou, fileId, expiresAt, content, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<Stream?> OpenContentAsync(string ou, string fileId, CancellationToken cancellationToken) => inner.OpenContentAsync(ou, fileId, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<bool> PublishAsync(ImportFile file, int maxPreviewsPerOu, CancellationToken cancellationToken) =>
        inner.PublishAsync(file, maxPreviewsPerOu, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<ImportFile?> FindAsync(string ou, string fileId, CancellationToken cancellationToken) => inner.FindAsync(ou, fileId, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<PreviewUsage> GetPreviewUsageAsync(string ou, CancellationToken cancellationToken) => inner.GetPreviewUsageAsync(ou, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<bool> DeletePreviewAsync(string ou, string fileId, CancellationToken cancellationToken) => inner.DeletePreviewAsync(ou, fileId, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask DeleteAsync(string ou, string fileId, CancellationToken cancellationToken) => inner.DeleteAsync(ou, fileId, cancellationToken);
}
