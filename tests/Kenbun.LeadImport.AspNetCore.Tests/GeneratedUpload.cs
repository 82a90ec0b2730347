using System.Text;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// A multipart upload of one CSV file part that is generated as it is read: it never ends, or its client gives up
/// (the read throws) after <c>failAfterBytes</c>.
/// </summary>
internal sealed class GeneratedUpload(long? failAfterBytes = null) : Stream
{
    public const string Boundary = "generated-boundary";

    private readonly byte[] _head = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\nEmail\n");
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public static StreamContent AsContent(long? failAfterBytes = null)
    {
        var content = new StreamContent(new GeneratedUpload(failAfterBytes));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        return content;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position > failAfterBytes)
        {
            throw new IOException("The user closed the browser tab.");
        }

        var span = buffer.AsSpan(offset, Math.Min(count, 16 * 1024));
        for (var i = 0; i < span.Length; i++, _position++)
        {
            span[i] = _position < _head.Length ? _head[_position] : (_position % 64) == 63 ? (byte)'\n' : (byte)'a';
        }

        return span.Length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
