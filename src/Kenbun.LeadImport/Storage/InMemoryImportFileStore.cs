using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// The files of an <see cref="InMemoryStorage"/>. Not durable — everything is lost when the process ends — and every
/// upload is held in memory whole.
/// </summary>
internal sealed class InMemoryImportFileStore(TimeProvider timeProvider) : IImportFileStore
{
    private readonly ConcurrentDictionary<(string Ou, string FileId), Entry> _entries = new();

    // Only publishing adds to a quota's count, so serialising publishes makes count-then-publish atomic.
    private readonly Lock _publishing = new();

    /// <summary>The number of files held, published or not: lets tests prove nothing was left behind.</summary>
    internal int Count => _entries.Count;

    /// <inheritdoc />
    public async ValueTask WriteContentAsync(string ou, string fileId, DateTimeOffset expiresAt, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        _entries[(ou, fileId)] = new Entry(await ContentSegment.ReadAllAsync(content, cancellationToken).ConfigureAwait(false), expiresAt);
    }

    /// <inheritdoc />
    public ValueTask<Stream?> OpenContentAsync(string ou, string fileId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream?>(
            _entries.TryGetValue((ou, fileId), out var entry) ? PipeReader.Create(entry.Content).AsStream() : null);

    /// <inheritdoc />
    public ValueTask<bool> PublishAsync(ImportFile file, int maxPreviewsPerOu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!_entries.TryGetValue((file.Ou, file.FileId), out var entry))
        {
            throw new InvalidOperationException($"File {file.FileId} has no content to publish.");
        }

        lock (_publishing)
        {
            if (Usage(file.Ou).Count >= maxPreviewsPerOu)
            {
                return ValueTask.FromResult(false);
            }

            lock (entry)
            {
                entry.File = file;
                entry.ExpiresAt = file.ExpiresAt;
            }
        }

        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<ImportFile?> FindAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (_entries.TryGetValue((ou, fileId), out var entry))
        {
            lock (entry)
            {
                if (entry.File is { } file && (file.JobId is not null || file.ExpiresAt > now))
                {
                    return ValueTask.FromResult<ImportFile?>(file);
                }
            }
        }

        return ValueTask.FromResult<ImportFile?>(null);
    }

    /// <inheritdoc />
    public ValueTask<PreviewUsage> GetPreviewUsageAsync(string ou, CancellationToken cancellationToken) => ValueTask.FromResult(Usage(ou));

    private PreviewUsage Usage(string ou)
    {
        var now = timeProvider.GetUtcNow();
        var count = 0;
        DateTimeOffset? earliest = null;
        foreach (var ((entryOu, _), entry) in _entries)
        {
            if (entryOu != ou)
            {
                continue;
            }

            lock (entry)
            {
                if (entry.File is null or { JobId: not null } || entry.ExpiresAt <= now)
                {
                    continue;
                }

                count++;
                earliest = earliest is null || entry.ExpiresAt < earliest ? entry.ExpiresAt : earliest;
            }
        }

        return new PreviewUsage(count, earliest);
    }

    /// <summary>Gives an unexpired preview that no job owns to a real import; false when there is none.</summary>
    internal bool Claim(string ou, string fileId, string jobId)
    {
        if (!_entries.TryGetValue((ou, fileId), out var entry))
        {
            return false;
        }

        lock (entry)
        {
            if (entry.File is not { JobId: null } file || file.ExpiresAt <= timeProvider.GetUtcNow())
            {
                return false;
            }

            entry.File = file with { JobId = jobId };
            return true;
        }
    }

    /// <summary>Whether a published preview that no job owns is unexpired: what a dry run may read.</summary>
    internal bool IsPreview(string ou, string fileId)
    {
        if (!_entries.TryGetValue((ou, fileId), out var entry))
        {
            return false;
        }

        lock (entry)
        {
            return entry.File is { JobId: null } file && file.ExpiresAt > timeProvider.GetUtcNow();
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeletePreviewAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue((ou, fileId), out var entry))
        {
            return ValueTask.FromResult(false);
        }

        // Under the entry's lock, as Claim decides: a preview is either discarded here or taken over there, never both.
        // A discarded entry has no file left, so a Claim that found the entry before it went finds nothing to take.
        lock (entry)
        {
            if (entry.File is not { JobId: null } file || file.ExpiresAt <= timeProvider.GetUtcNow())
            {
                return ValueTask.FromResult(false);
            }

            entry.File = null;
            _entries.TryRemove(new KeyValuePair<(string, string), Entry>((ou, fileId), entry));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        Delete(ou, fileId);
        return ValueTask.CompletedTask;
    }

    /// <summary>Deletes a file and its content, if it is there.</summary>
    internal void Delete(string ou, string fileId) => _entries.TryRemove((ou, fileId), out _);

    /// <summary>Deletes every file of the OU, published or not, owned by a job or not; returns how many.</summary>
    internal int DeleteOu(string ou) => _entries.Keys.Where(key => key.Ou == ou).Count(key => _entries.TryRemove(key, out _));

    /// <summary>Deletes every expired file that no job owns, published or not, except those in <paramref name="inUse"/>.</summary>
    internal int DeleteExpired(IReadOnlySet<string> inUse)
    {
        var now = timeProvider.GetUtcNow();
        var deleted = 0;
        foreach (var (key, entry) in _entries)
        {
            bool expired;
            lock (entry)
            {
                expired = entry.File?.JobId is null && entry.ExpiresAt <= now && !inUse.Contains(key.Item2);
            }

            if (expired && _entries.TryRemove(new KeyValuePair<(string, string), Entry>(key, entry)))
            {
                deleted++;
            }
        }

        return deleted;
    }

    private sealed class Entry(ReadOnlySequence<byte> content, DateTimeOffset expiresAt)
    {
        public ReadOnlySequence<byte> Content { get; } = content;

        /// <summary>When the content is swept: the upload's own expiry until published, then the preview's.</summary>
        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public ImportFile? File { get; set; }
    }
}
