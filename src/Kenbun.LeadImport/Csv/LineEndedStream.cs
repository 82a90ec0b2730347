using System.Text;

namespace Kenbun.LeadImport.Csv;

/// <summary>
/// A read-only view of a file's text (after its byte order mark) that ends with a line break: when the file's last
/// character is not CR or LF, an LF in the file's encoding follows it. CsvHelper's separator detector weighs only
/// lines that end with a line break, so without one the last line of a short file would not count, and the delimiter
/// could depend on whether the file happens to end with a line break.
/// </summary>
internal sealed class LineEndedStream(Stream text, Encoding encoding) : Stream
{
    private readonly byte[] _lineFeed = encoding.GetBytes("\n");
    private readonly byte[] _carriageReturn = encoding.GetBytes("\r");
    private readonly byte[] _last = new byte[encoding.GetByteCount("\n")];
    private bool _readAny;

    /// <summary>How much of the added line break is still to be read; null until the text has ended.</summary>
    private ReadOnlyMemory<byte>? _rest;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) =>
        buffer.IsEmpty || _rest is not null ? ReadRest(buffer) : Remember(buffer, text.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _rest is not null)
        {
            return ReadRest(buffer.Span);
        }

        var read = await text.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Remember(buffer.Span, read);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Keeps the last character's bytes of what was read; at the end of the text, decides the line break.</summary>
    private int Remember(Span<byte> buffer, int read)
    {
        if (read == 0)
        {
            var endsWithLineBreak = _last.AsSpan().SequenceEqual(_lineFeed) || _last.AsSpan().SequenceEqual(_carriageReturn);
            _rest = !_readAny || endsWithLineBreak ? ReadOnlyMemory<byte>.Empty : _lineFeed;
            return ReadRest(buffer);
        }

        var chunk = buffer[..read];
        var kept = Math.Min(read, _last.Length);
        _last.AsSpan(kept).CopyTo(_last);
        chunk[^kept..].CopyTo(_last.AsSpan(_last.Length - kept));
        _readAny = true;
        return read;
    }

    private int ReadRest(Span<byte> buffer)
    {
        if (_rest is not { } rest)
        {
            return 0;
        }

        var count = Math.Min(buffer.Length, rest.Length);
        rest.Span[..count].CopyTo(buffer);
        _rest = rest[count..];
        return count;
    }
}
