namespace Kenbun.LeadImport.Storage;

/// <summary>
/// The files face of a <see cref="LeadImportStorage"/>: uploaded files and what the preview learnt about them. Every
/// call is scoped by OU: a file of another OU is reported exactly like a file that does not exist.
/// </summary>
/// <remarks>
/// A file lives in two steps: <see cref="WriteContentAsync"/> stores the bytes (not yet visible), then
/// <see cref="PublishAsync"/> makes it a preview. A preview expires at <see cref="ImportFile.ExpiresAt"/>,
/// judged by the store's <see cref="TimeProvider"/>, unless a real import owns it (<see cref="ImportFile.JobId"/>, set by
/// <see cref="LeadImportStorage.CreateJobAsync"/>); an owned file lives until its job ends or is deleted.
/// </remarks>
public interface IImportFileStore
{
    /// <summary>
    /// Copies <paramref name="content"/> into the store as it is read, never holding it whole in memory (except in
    /// a store whose medium is memory). If reading or storing fails, nothing of the file remains and the exception
    /// propagates. Content never published is removed once <paramref name="expiresAt"/> has passed (the preview passes
    /// a time soon after the longest an upload may take, so an upload its process abandoned goes within minutes);
    /// <see cref="PublishAsync"/> gives it the preview's <see cref="ImportFile.ExpiresAt"/>. While <paramref name="content"/>
    /// is read (a client on a slow network) the store holds no connection or lock. The preview analyses the bytes as the
    /// store reads them, so a read may also wait for that analysis to catch up; read <paramref name="content"/> once, from
    /// one caller at a time, asynchronously (a synchronous read blocks its thread while it waits).
    /// </summary>
    ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens the stored content of a file for reading, or returns <see langword="null"/> when there is none.</summary>
    ValueTask<Stream?> OpenContentAsync(string ou, string fileId, CancellationToken cancellationToken);

    /// <summary>
    /// Records what the preview learnt about written content and makes it findable, unless the OU already holds
    /// <paramref name="maxPreviewsPerOu"/> unexpired previews that no job owns: then nothing is published and the result
    /// is <see langword="false"/>. Atomic: of concurrent publishes, no more succeed than there is room for.
    /// </summary>
    ValueTask<bool> PublishAsync(ImportFile file, int maxPreviewsPerOu, CancellationToken cancellationToken);

    /// <summary>Finds a published file that is unexpired or owned by a job, or returns <see langword="null"/>.</summary>
    ValueTask<ImportFile?> FindAsync(string ou, string fileId, CancellationToken cancellationToken);

    /// <summary>Counts the OU's unexpired previews that no job owns.</summary>
    ValueTask<PreviewUsage> GetPreviewUsageAsync(string ou, CancellationToken cancellationToken);

    /// <summary>
    /// Discards a preview a client no longer wants, with its content: a published, unexpired file of the OU that no job
    /// owns. Returns <see langword="false"/>, deleting nothing, for any other file — unknown, unpublished, expired, another
    /// OU's, or taken over by a real import. Atomic with <see cref="LeadImportStorage.CreateJobAsync"/>'s take-over: of a
    /// discard and a real import's start racing for one preview, exactly one succeeds, so no job is ever left without its
    /// file. A discarded preview frees its place in the OU's preview quota at once. Dry runs of the file that are queued
    /// or running are not stopped: one that opens the file afterwards finds it gone and fails, as when the real import
    /// ends first (<see cref="LeadImportStorage.FinishJobAsync"/>).
    /// </summary>
    ValueTask<bool> DeletePreviewAsync(string ou, string fileId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes an upload that never became a preview (its preview failed) with its content; deleting a missing file
    /// does nothing. Files that jobs use are deleted by the storage root's operations.
    /// </summary>
    ValueTask DeleteAsync(string ou, string fileId, CancellationToken cancellationToken);
}
