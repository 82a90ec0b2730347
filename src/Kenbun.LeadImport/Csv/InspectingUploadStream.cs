namespace Kenbun.LeadImport.Csv;

/// <summary>
/// A read-only view of an upload that enforces the size limit as bytes arrive and decides,
/// from the bytes passing through, what the file is: its encoding, whether it has a byte
/// order mark, and whether it is certainly not text. The file store copies from it, so the
/// upload is examined in the same single pass that stores it.
/// </summary>
internal sealed class InspectingUploadStream(Stream upload, long maxBytes) : Stream
{
    private readonly byte[] _head = new byte[FileSignatures.HeadLength];
    private int _headLength;
    private bool _headChecked;
    private Utf8StreamValidator _utf8;
    private bool _isUtf16;
    private Utf16StreamValidator _utf16;

    /// <summary>The number of bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Whether the bytes so far decide Windows-1252 already: no UTF-16 byte order mark, and text that is not UTF-8.</summary>
    public bool IsWindows1252 => _headChecked && !_isUtf16 && _utf8.IsInvalid;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <summary>The encoding and byte order mark decided from the whole upload; call after it was read to the end.</summary>
    /// <exception cref="InvalidCsvFileException">A UTF-16 upload whose text breaks somewhere: it is not guessed at.</exception>
    public (CsvTextEncoding Encoding, bool HasByteOrderMark) DecideEncoding()
    {
        var announced = EncodingOfHead(_head.AsSpan(0, _headLength));
        if (_isUtf16)
        {
            if (!_utf16.Complete())
            {
                throw new InvalidCsvFileException(
                    $"The file is not valid UTF-16 text: on line {_utf16.BrokenAtLine}, {_utf16.Break}. Save it again as UTF-8 from the program that made it.",
                    _utf16.BrokenAtLine);
            }

            return announced;
        }

        return (_utf8.Complete() ? CsvTextEncoding.Utf8 : CsvTextEncoding.Windows1252, announced.HasByteOrderMark);
    }

    /// <summary>
    /// The encoding a file's first bytes announce: UTF-16 by its byte order mark, else UTF-8, with or without one. The
    /// whole upload may still decide otherwise (<see cref="DecideEncoding"/>): text that is not UTF-8 is Windows-1252.
    /// </summary>
    public static (CsvTextEncoding Encoding, bool HasByteOrderMark) EncodingOfHead(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? (CsvTextEncoding.Utf16LittleEndian, true)
        : IsBigEndianUtf16(head) ? (CsvTextEncoding.Utf16BigEndian, true)
        : (CsvTextEncoding.Utf8, head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = upload.Read(buffer);
        Inspect(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await upload.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Inspect(buffer.Span[..read]);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Inspect(ReadOnlySpan<byte> chunk)
    {
        BytesRead += chunk.Length;
        if (BytesRead > maxBytes)
        {
            throw new FileTooLargeException(maxBytes);
        }

        var rest = chunk;
        if (!_headChecked)
        {
            var take = Math.Min(chunk.Length, _head.Length - _headLength);
            chunk[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
            rest = chunk[take..];
            if (_headLength == _head.Length || chunk.IsEmpty)
            {
                CheckHead();
            }
        }

        if (_isUtf16)
        {
            _utf16.Append(rest);
        }

        _utf8.Append(chunk);
    }

    private void CheckHead()
    {
        _headChecked = true;
        var head = _head.AsSpan(0, _headLength);
        var kind = FileSignatures.Identify(head);
        if (kind is not null)
        {
            throw new UnsupportedFileTypeException($"The file is {kind}, not CSV text. Export it as CSV and upload that.");
        }

        // A byte order mark makes the upload UTF-16: from here its text is checked as it arrives, the head first.
        var announced = EncodingOfHead(head).Encoding;
        _isUtf16 = announced is not CsvTextEncoding.Utf8;
        if (_isUtf16)
        {
            _utf16 = new Utf16StreamValidator(announced is CsvTextEncoding.Utf16BigEndian);
            _utf16.Append(head);
        }
    }

    private static bool IsBigEndianUtf16(ReadOnlySpan<byte> head) => head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
}
