using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Kenbun.LeadImport.Csv;

/// <summary>
/// Checks that a byte stream arriving in chunks is valid UTF-8 as a whole,
/// carrying a sequence split across two chunks over to the next one.
/// </summary>
internal struct Utf8StreamValidator
{
    private uint _pending;
    private int _pendingLength;

    /// <summary>Whether an invalid sequence has been seen.</summary>
    public bool IsInvalid { get; private set; }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (IsInvalid)
        {
            return;
        }

        if (_pendingLength > 0)
        {
            chunk = CompletePendingSequence(chunk);
            if (IsInvalid || _pendingLength > 0)
            {
                return;
            }
        }

        var tail = IncompleteTailStart(chunk);
        if (!Utf8.IsValid(chunk[..tail]))
        {
            IsInvalid = true;
            return;
        }

        foreach (var b in chunk[tail..])
        {
            Push(b);
        }
    }

    /// <summary>Ends the stream; returns whether everything was valid UTF-8.</summary>
    public bool Complete() => !IsInvalid && _pendingLength == 0;

    private ReadOnlySpan<byte> CompletePendingSequence(ReadOnlySpan<byte> chunk)
    {
        Span<byte> sequence = stackalloc byte[4];
        while (!chunk.IsEmpty && _pendingLength > 0)
        {
            Push(chunk[0]);
            chunk = chunk[1..];
            for (var i = 0; i < _pendingLength; i++)
            {
                sequence[i] = (byte)(_pending >> (8 * i));
            }

            switch (Rune.DecodeFromUtf8(sequence[.._pendingLength], out _, out _))
            {
                case OperationStatus.Done:
                    _pendingLength = 0;
                    break;
                case OperationStatus.InvalidData:
                    IsInvalid = true;
                    return chunk;
            }
        }

        return chunk;
    }

    private void Push(byte b)
    {
        if (_pendingLength == 0)
        {
            _pending = 0;
        }

        _pending |= (uint)b << (8 * _pendingLength);
        _pendingLength++;
    }

    /// <summary>The index where a multi-byte sequence that the chunk cuts off begins, or the chunk's length.</summary>
    private static int IncompleteTailStart(ReadOnlySpan<byte> chunk)
    {
        for (var i = chunk.Length - 1; i >= Math.Max(0, chunk.Length - 3); i--)
        {
            var b = chunk[i];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            if (b < 0xC0)
            {
                return chunk.Length;
            }

            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            return chunk.Length - i < needed ? i : chunk.Length;
        }

        return chunk.Length;
    }
}
