using Kenbun.LeadImport.Streams;

namespace Kenbun.LeadImport.Stores;

/// <summary>
/// Reads a file that a store keeps in numbered chunks, one chunk at a time through <paramref name="readChunk"/> (which
/// returns <see langword="null"/> past the last chunk), so the file is never whole in memory.
/// </summary>
internal sealed class ChunkReadStream(Func<int, CancellationToken, Task<byte[]?>> readChunk, IDisposable? owned = null) : ForwardReadStream
{
    private byte[] _chunk = [];
    private int _offset;
    private int _nextSeq;
    private bool _ended;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset == _chunk.Length && !_ended)
        {
            var data = await readChunk(_nextSeq++, cancellationToken).ConfigureAwait(false);
            (_chunk, _offset, _ended) = data is null ? ([], 0, true) : (data, 0, false);
        }

        var length = Math.Min(buffer.Length, _chunk.Length - _offset);
        _chunk.AsMemory(_offset, length).CopyTo(buffer);
        _offset += length;
        return length;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            owned?.Dispose();
        }

        base.Dispose(disposing);
    }
}
