using System.Buffers;
using System.Text;
using CsvHelper;

namespace Kenbun.LeadImport.Csv;

/// <summary>
/// Reads a stored upload record by record, the one way both the preview and the import read files:
/// the format decided at upload, a validated header, blank records skipped and not numbered,
/// text normalised to NFC, and every structural problem raised as an <see cref="InvalidCsvFileException"/>
/// with its line.
/// </summary>
internal sealed class CsvFileReader : IDisposable
{
    private static readonly SearchValues<byte> AsciiWhitespace = SearchValues.Create(" \t\r\n\v\f"u8);

    private readonly CsvReader _csv;
    private readonly CsvReadLimits _limits;
    private readonly char _delimiter;
    private long _quoteProblemRecord;
    private char[] _chars = new char[256];

    /// <summary>
    /// How much the reader asks its stream for at a time: four times CsvHelper's default, so a preview's analysis takes
    /// the upload's pipe lock a quarter as often. Only this reader's: the delimiter detector keeps CsvHelper's 64 KiB.
    /// </summary>
    internal const int ReadBytes = 256 * 1024;

    private CsvFileReader(Stream content, CsvFileFormat format, CsvReadLimits limits)
    {
        _limits = limits;
        _delimiter = format.Delimiter;
        _csv = CsvReader.Create(content, CreateOptions(format) with { OnMalformedRecord = OnMalformed, BufferSize = ReadBytes }, leaveOpen: false);
    }

    /// <summary>The header cells, trimmed.</summary>
    public IReadOnlyList<string> Headers { get; private set; } = [];

    /// <summary>The number of the current data record: the first non-blank record after the header is 1.</summary>
    public long RowNumber { get; private set; }

    /// <summary>The 1-based line of the file where the current record starts.</summary>
    public long LineNumber => _csv.LineNumber;

    /// <summary>The number of cells in the current record, which may differ from the number of headers.</summary>
    public int FieldCount => _csv.FieldCount;

    /// <summary>
    /// Opens <paramref name="content"/> (positioned at its first byte) and reads and validates its header.
    /// The reader owns the stream from then on; if opening fails, the stream is disposed.
    /// </summary>
    public static async ValueTask<CsvFileReader> OpenAsync(Stream content, CsvFileFormat format, CsvReadLimits limits, CancellationToken cancellationToken)
    {
        CsvFileReader? reader = null;
        try
        {
            await SkipPreambleAsync(content, format, cancellationToken).ConfigureAwait(false);
            reader = new CsvFileReader(content, format, limits);
            await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            return reader;
        }
        catch
        {
            if (reader is null)
            {
                await content.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                reader.Dispose();
            }

            throw;
        }
    }

    /// <summary>Options for CsvHelper that split and decode a file of <paramref name="format"/> exactly as this reader does (it reads larger pieces).</summary>
    internal static CsvReaderOptions CreateOptions(CsvFileFormat format) => new()
    {
        HasHeader = false,
        Separator = format.Delimiter,
        Encoding = format.GetTextEncoding(),
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        SkipEmptyLines = true,
    };

    /// <summary>Skips the byte order mark, which CsvHelper would otherwise read as text in Windows-1252.</summary>
    internal static async ValueTask SkipPreambleAsync(Stream content, CsvFileFormat format, CancellationToken cancellationToken)
    {
        if (format.PreambleLength > 0)
        {
            var preamble = new byte[format.PreambleLength];
            await content.ReadExactlyAsync(preamble, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The current record's raw text in UTF-8 (CsvHelper's form of the text, whatever the file's encoding).</summary>
    public ReadOnlySpan<byte> RawRecord => _csv.RawRecord;

    /// <summary>Parses one raw record kept from <see cref="RawRecord"/> back into its cells.</summary>
    public static string[] ParseRecord(ReadOnlyMemory<byte> raw, char delimiter)
    {
        using var csv = CsvReader.Create(raw, RawRecordOptions(delimiter));
        if (!csv.Read())
        {
            return [];
        }

        var cells = new string[csv.FieldCount];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = Nfc.Normalize(csv.GetString(i));
        }

        return cells;
    }

    /// <summary>Moves to the next data record, skipping blank ones.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (await ReadRecordAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!IsBlankRecord())
            {
                RowNumber++;
                return true;
            }
        }

        return false;
    }

    /// <summary>The cell at <paramref name="index"/> as parsed (not trimmed), in NFC; empty past the record's last cell.</summary>
    public string GetCell(int index) => GetCellChars(index).ToString();

    /// <summary>
    /// The cell at <paramref name="index"/> as <see cref="GetCell"/> reads it, without making a string of it: the
    /// characters stay valid until the next call. The engine reads identifiers this way and keeps only their normalised form.
    /// </summary>
    public ReadOnlySpan<char> GetCellChars(int index)
    {
        if (index >= _csv.FieldCount)
        {
            return [];
        }

        var utf8 = _csv.GetSpan(index);
        if (utf8.Length > _chars.Length)
        {
            _chars = new char[Math.Max(utf8.Length, _chars.Length * 2)];
        }

        // Valid UTF-8 (checked at upload) never has more characters than bytes.
        var chars = _chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, _chars));
        return Nfc.IsStable(chars) ? chars : Nfc.Normalize(chars.ToString());
    }

    /// <summary>The length of the cell at <paramref name="index"/> in bytes of UTF-8 (0 past the record's last cell).</summary>
    public int GetUtf8Length(int index) => index < _csv.FieldCount ? _csv.GetSpan(index).Length : 0;

    /// <summary>Whether the cell at <paramref name="index"/> is missing, empty or only whitespace.</summary>
    public bool IsBlank(int index)
    {
        if (index >= _csv.FieldCount)
        {
            return true;
        }

        var utf8 = _csv.GetSpan(index);
        if (!utf8.ContainsAnyExcept(AsciiWhitespace))
        {
            return true;
        }

        return !Ascii.IsValid(utf8) && GetCellChars(index).IsWhiteSpace();
    }

    /// <summary>Reads every cell of the current record.</summary>
    public string[] GetCells() => GetCells(FieldCount);

    /// <summary>
    /// Reads the current record's cells less the blank ones that end it beyond the header, as a trailing delimiter
    /// leaves them: the import ignores those, while a non-blank cell beyond the header (a malformed row) is kept.
    /// </summary>
    public string[] GetCellsWithoutBlankTail()
    {
        var count = FieldCount;
        while (count > Headers.Count && IsBlank(count - 1))
        {
            count--;
        }

        return GetCells(count);
    }

    public void Dispose() => _csv.Dispose();

    private async ValueTask ReadHeaderAsync(CancellationToken cancellationToken)
    {
        if (!await ReadRecordAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidCsvFileException("The file has no header row: it holds no text.");
        }

        if (IsExcelSepLine())
        {
            throw new InvalidCsvFileException("The file has no header row: it holds only Excel's \"sep=\" line, which names the delimiter.");
        }

        if (IsBlankRecord())
        {
            throw new InvalidCsvFileException("The first row of the file must name the columns, but it is blank.", LineNumber);
        }

        // Blank cells at the very end of the header line, as a trailing delimiter leaves them, name no column: they are
        // dropped, and the cells under them are beyond the header. (The record is not blank, so one cell is left.)
        var count = FieldCount;
        while (IsBlank(count - 1))
        {
            count--;
        }

        var headers = new string[count];
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Length; i++)
        {
            headers[i] = GetCell(i).Trim();
            if (headers[i].Length == 0)
            {
                throw new InvalidCsvFileException(
                    $"Column {i + 1} of the header row has no name. Give every column a name, or remove the empty column.", LineNumber);
            }

            if (!seen.TryAdd(headers[i], i))
            {
                var first = seen[headers[i]];
                throw new InvalidCsvFileException(
                    $"The header row names two columns alike: \"{headers[first]}\" (column {first + 1}) and \"{headers[i]}\" (column {i + 1}). Column names must differ, ignoring case.",
                    LineNumber);
            }
        }

        Headers = headers;
    }

    private async ValueTask<bool> ReadRecordAsync(CancellationToken cancellationToken)
    {
        if (!await _csv.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        CheckStructure();
        return true;
    }

    private void CheckStructure()
    {
        var raw = _csv.RawRecord;
        if (_quoteProblemRecord == _csv.RowNumber && OpenQuoteLine(raw, _delimiter) is { } openLine)
        {
            var line = LineNumber + openLine;
            throw new InvalidCsvFileException(
                $"A quoted field that starts on line {line} is never closed: the file ends inside quotes. Check for a missing closing quote (\").",
                line);
        }

        if (raw.Contains((byte)0))
        {
            throw new InvalidCsvFileException(
                $"Line {LineNumber} contains a NUL character, so the file is not text. Export it again as CSV.", LineNumber);
        }

        if (raw.Length > _limits.MaxRecordBytes)
        {
            throw new InvalidCsvFileException(
                $"The record on line {LineNumber} is {raw.Length:N0} bytes long; a record may be at most {_limits.MaxRecordBytes:N0} bytes.", LineNumber);
        }

        if (FieldCount > _limits.MaxColumns)
        {
            throw new InvalidCsvFileException(
                $"Line {LineNumber} has {FieldCount:N0} columns; a file may have at most {_limits.MaxColumns:N0}.", LineNumber);
        }
    }

    private string[] GetCells(int count)
    {
        var cells = new string[count];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = GetCell(i);
        }

        return cells;
    }

    /// <summary>
    /// Whether the record is an Excel <c>sep=</c> line (CONTRACT §2). CsvHelper takes one as the delimiter's name when
    /// a record follows it, and returns it as a record of its own when none does.
    /// </summary>
    private bool IsExcelSepLine()
    {
        var line = _csv.RawRecord.TrimEnd("\r\n"u8);
        return _csv.LineNumber == 1 && line.Length == 5 && Ascii.EqualsIgnoreCase(line[..4], "sep="u8) && CsvFileFormat.Delimiters.Contains((char)line[4]);
    }

    private bool IsBlankRecord()
    {
        for (var i = 0; i < FieldCount; i++)
        {
            if (!IsBlank(i))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// CsvHelper reports only the first problem of a record: a quote left open at the end of the file goes unreported
    /// when text after a closing quote, or a quote inside an unquoted cell, came first. So every record it reports is
    /// checked with <see cref="OpenQuoteLine"/>, whatever the reason given.
    /// </summary>
    private void OnMalformed(CsvMalformedRecord record) => _quoteProblemRecord = record.RecordNumber;

    /// <summary>
    /// Whether <paramref name="raw"/>, a whole record, ends inside a quoted field and, if so, how many lines below its
    /// first line that field's quote opens; <see langword="null"/> when every quote closed. CsvHelper itself decides, so
    /// the answer agrees with how it splits records: followed by a line break and one more line, the record still reads
    /// as one record to the very end only when a quote was left open, and its last cell is then that open field,
    /// holding everything after the opening quote. Costs a second parse of the record, so only reported ones are checked.
    /// </summary>
    private static int? OpenQuoteLine(ReadOnlySpan<byte> raw, char delimiter)
    {
        var probe = new byte[raw.Length + 2];
        raw.CopyTo(probe);
        "\nx"u8.CopyTo(probe.AsSpan(raw.Length));
        using var csv = CsvReader.Create(probe, RawRecordOptions(delimiter));
        if (!csv.Read() || csv.RawRecord.Length < probe.Length)
        {
            return null;
        }

        var openField = csv.GetSpan(csv.FieldCount - 1)[..^2];
        return CountLineBreaks(raw) - CountLineBreaks(openField);
    }

    /// <summary>
    /// Options that read raw records, kept in UTF-8, exactly as the file's reader splits them (with the same malformed
    /// quote detection, which a callback turns on).
    /// </summary>
    private static CsvReaderOptions RawRecordOptions(char delimiter) =>
        CreateOptions(new CsvFileFormat(CsvTextEncoding.Utf8, HasByteOrderMark: false, delimiter)) with
        {
            SkipEmptyLines = false,
            OnMalformedRecord = static _ => { },
        };

    /// <summary>Line breaks as CsvHelper counts lines: CR LF, a lone CR and a lone LF each end one line.</summary>
    private static int CountLineBreaks(ReadOnlySpan<byte> text) =>
        text.Count((byte)'\n') + text.Count((byte)'\r') - text.Count("\r\n"u8);
}
