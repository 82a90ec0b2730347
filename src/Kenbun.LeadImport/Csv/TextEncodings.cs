using System.Text;

namespace Kenbun.LeadImport.Csv;

/// <summary>The encodings the reader needs, created once.</summary>
internal static class TextEncodings
{
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static readonly Encoding Windows1252 = CreateWindows1252();

    /// <summary>Strict: broken UTF-16 throws rather than turning into U+FFFD (the upload check refuses such files first).</summary>
    public static readonly Encoding Utf16LittleEndian = new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);

    /// <inheritdoc cref="Utf16LittleEndian"/>
    public static readonly Encoding Utf16BigEndian = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    private static Encoding CreateWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }
}
