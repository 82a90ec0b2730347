using System.Text;

namespace Kenbun.LeadImport.Csv;

/// <summary>The text encodings an uploaded file can be read in.</summary>
public enum CsvTextEncoding
{
    /// <summary>UTF-8, with or without a byte order mark.</summary>
    Utf8 = 0,

    /// <summary>UTF-16 little endian, recognised by its byte order mark.</summary>
    Utf16LittleEndian = 1,

    /// <summary>UTF-16 big endian, recognised by its byte order mark.</summary>
    Utf16BigEndian = 2,

    /// <summary>Windows-1252, used for every file that is not valid UTF-8 (the usual spreadsheet export).</summary>
    Windows1252 = 3,
}

/// <summary>
/// How a stored file is read, decided once while it is uploaded and kept with it,
/// so the preview and the import read exactly the same records.
/// </summary>
/// <param name="Encoding">The text encoding of the whole file.</param>
/// <param name="HasByteOrderMark">Whether the file starts with a byte order mark (skipped, never part of the first header).</param>
/// <param name="Delimiter">The cell delimiter: <c>,</c>, <c>;</c>, tab or <c>|</c>.</param>
public sealed record CsvFileFormat(CsvTextEncoding Encoding, bool HasByteOrderMark, char Delimiter)
{
    /// <summary>The delimiters a file may use.</summary>
    public static IReadOnlyList<char> Delimiters { get; } = [',', ';', '\t', '|'];

    /// <summary>The encoding's name as the API reports it: <c>utf-8</c>, <c>utf-16le</c>, <c>utf-16be</c> or <c>windows-1252</c>.</summary>
    public string EncodingName => Encoding switch
    {
        CsvTextEncoding.Utf8 => "utf-8",
        CsvTextEncoding.Utf16LittleEndian => "utf-16le",
        CsvTextEncoding.Utf16BigEndian => "utf-16be",
        CsvTextEncoding.Windows1252 => "windows-1252",
        _ => throw new InvalidOperationException($"Unknown encoding {Encoding}."),
    };

    /// <summary>The length in bytes of the byte order mark at the start of the file.</summary>
    internal int PreambleLength => !HasByteOrderMark ? 0 : Encoding is CsvTextEncoding.Utf16LittleEndian or CsvTextEncoding.Utf16BigEndian ? 2 : 3;

    /// <summary>The .NET encoding that decodes the file after its byte order mark.</summary>
    internal Encoding GetTextEncoding() => Encoding switch
    {
        CsvTextEncoding.Utf8 => TextEncodings.Utf8,
        CsvTextEncoding.Utf16LittleEndian => TextEncodings.Utf16LittleEndian,
        CsvTextEncoding.Utf16BigEndian => TextEncodings.Utf16BigEndian,
        CsvTextEncoding.Windows1252 => TextEncodings.Windows1252,
        _ => throw new InvalidOperationException($"Unknown encoding {Encoding}."),
    };
}
