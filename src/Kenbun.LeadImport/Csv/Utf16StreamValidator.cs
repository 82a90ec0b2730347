namespace Kenbun.LeadImport.Csv;

/// <summary>
/// Checks that a UTF-16 byte stream arriving in chunks is valid as a whole — every high surrogate followed by a low
/// one, no low surrogate alone, an even number of bytes — and remembers the line of the first break, so the file is
/// refused with where its text breaks rather than decoded with replacement characters (CONTRACT §2).
/// </summary>
internal struct Utf16StreamValidator(bool bigEndian)
{
    private int _pendingByte = -1;
    private bool _afterHighSurrogate;
    private bool _afterCarriageReturn;
    private long _line = 1;

    /// <summary>The line of the first break, or <see langword="null"/> while the text is valid.</summary>
    public long? BrokenAtLine { get; private set; }

    /// <summary>What the first break is, for people.</summary>
    public string? Break { get; private set; }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        foreach (var b in chunk)
        {
            if (BrokenAtLine is not null)
            {
                return;
            }

            if (_pendingByte < 0)
            {
                _pendingByte = b;
                continue;
            }

            var unit = bigEndian ? (char)((_pendingByte << 8) | b) : (char)((b << 8) | _pendingByte);
            _pendingByte = -1;
            Check(unit);
        }
    }

    /// <summary>Ends the stream; returns whether all of it was valid UTF-16.</summary>
    public bool Complete()
    {
        if (BrokenAtLine is null && _pendingByte >= 0)
        {
            Fail("it ends with half a character (an odd number of bytes)");
        }
        else if (BrokenAtLine is null && _afterHighSurrogate)
        {
            Fail("it ends inside a character (half of a surrogate pair)");
        }

        return BrokenAtLine is null;
    }

    private void Check(char unit)
    {
        if (_afterHighSurrogate != char.IsLowSurrogate(unit))
        {
            Fail("half of a character is missing (an unpaired surrogate)");
            return;
        }

        _afterHighSurrogate = char.IsHighSurrogate(unit);
        if (unit == '\r' || (unit == '\n' && !_afterCarriageReturn))
        {
            _line++;
        }

        _afterCarriageReturn = unit == '\r';
    }

    private void Fail(string reason) => (BrokenAtLine, Break) = (_line, reason);
}
