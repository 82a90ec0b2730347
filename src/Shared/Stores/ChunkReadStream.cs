namespace Kenbun.LeadImport.Stores;

/// <summary>
/// Reads a file that a store keeps in numbered chunks, one chunk at a time through <paramref name="readChunk"/> (which
/// returns <see langword="null"/> past the last chunk), so the file is never whole in memory.
/// </summary>
internal sealed class ChunkReadStream(Func<int, CancellationToken, Task<byte[]?>> readChunk, IDisposable? owned = null) : Stream
{
    private byte[] _chunk = [];
    private int _offset;
    private int _nextSeq;
    private bool _ended;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

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

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            owned?.Dispose();
        }

        base.Dispose(disposing);
    }
}
