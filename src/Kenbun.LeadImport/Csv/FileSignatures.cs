namespace Kenbun.LeadImport.Csv;

/// <summary>Recognises files that are certainly not text by their first bytes ("magic numbers").</summary>
internal static class FileSignatures
{
    /// <summary>How many leading bytes <see cref="Identify"/> needs to recognise every signature.</summary>
    public const int HeadLength = 12;

    private static readonly (byte[] Magic, int Offset, string Description)[] Known =
    [
        ("PK\u0003\u0004"u8.ToArray(), 0, "a ZIP archive (an .xlsx workbook is one)"),
        ("PK\u0005\u0006"u8.ToArray(), 0, "a ZIP archive"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], 0, "an Office document (.xls)"),
        ("%PDF-"u8.ToArray(), 0, "a PDF document"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], 0, "a PNG image"),
        ([0xFF, 0xD8, 0xFF], 0, "a JPEG image"),
        ("GIF87a"u8.ToArray(), 0, "a GIF image"),
        ("GIF89a"u8.ToArray(), 0, "a GIF image"),
        ("WEBP"u8.ToArray(), 8, "a WebP image"),
        ([0x49, 0x49, 0x2A, 0x00], 0, "a TIFF image"),
        ([0x4D, 0x4D, 0x00, 0x2A], 0, "a TIFF image"),
        ([0x1F, 0x8B], 0, "a gzip archive"),
    ];

    /// <summary>What the file starting with <paramref name="head"/> is, or <see langword="null"/> when it may be text.</summary>
    public static string? Identify(ReadOnlySpan<byte> head)
    {
        foreach (var (magic, offset, description) in Known)
        {
            if (head.Length >= offset + magic.Length && head.Slice(offset, magic.Length).SequenceEqual(magic))
            {
                return description;
            }
        }

        return null;
    }
}
