using System.Text;

namespace Kenbun.LeadImport.Tests.Support;

/// <summary>The encodings an upload is read in (CONTRACT §2), as test files are written in them.</summary>
internal static class UploadEncodings
{
    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>UTF-8 without and with a byte order mark, UTF-16 of both byte orders (with theirs), and Windows-1252.</summary>
    public static Encoding[] All { get; } =
    [
        new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
        new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
        new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
        Windows1252,
    ];
}
