using System.Text;
using CsvHelper;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Csv;

/// <summary>
/// Any table written as CSV — with any of the four delimiters, in UTF-8 (± BOM) or UTF-16, by CsvHelper's writer
/// or by a writer that quotes every cell and ends lines with CR — previews back to the same headers, rows and count.
/// </summary>
public class CsvReadBackProperties
{
    private static readonly string[] HeaderPieces =
        [.. "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-".Select(c => c.ToString()), " ", "é", "Ж", "漢"];

    private static readonly string[] Windows1252HeaderPieces = [.. HeaderPieces.Where(p => p is not ("Ж" or "漢"))];

    private static readonly string[] CellPieces =
        [.. "abcxyzABC019@.+-".Select(c => c.ToString()), ",", ";", "\t", "|", "\"", "\"\"", "\r", "\n", "\r\n", " ", "'", "=",
            "é", "ü", "€", "漢", "😀", "\u00a0", "e\u0301"];

    private static readonly string[] Windows1252Pieces =
        [.. "abcxyzABC019@.+-".Select(c => c.ToString()), ",", ";", "\t", "|", "\"", "\r", "\n", " ", "é", "ü", "€", "‰", "“", "”", "ß", "Ø"];

    public enum Encoder
    {
        Utf8,
        Utf8WithBom,
        Utf16LittleEndian,
        Utf16BigEndian,
    }

    public enum Writer
    {
        CsvHelper,
        QuoteEverythingWithCrLineEnds,
    }

    [Property(MaxTest = 300)]
    public Property Any_table_previews_back_to_itself() =>
        Prop.ForAll(
            (from table in Tables(HeaderPieces, CellPieces, firstHeader: null)
             from delimiter in Delimiters
             from encoder in Gen.Elements(Enum.GetValues<Encoder>())
             from writer in Writers
             select new Case(table, delimiter, EncodingOf(encoder), writer)).ToArbitrary(),
            AssertReadsBack);

    /// <summary>The header "Café" makes every file invalid UTF-8, so each must be read as Windows-1252.</summary>
    [Property(MaxTest = 100)]
    public Property Any_windows_1252_table_previews_back_to_itself() =>
        Prop.ForAll(
            (from table in Tables(Windows1252HeaderPieces, Windows1252Pieces, firstHeader: "Café")
             from delimiter in Delimiters
             from writer in Writers
             select new Case(table, delimiter, UploadEncodings.Windows1252, writer)).ToArbitrary(),
            AssertReadsBack);

    private static Gen<char> Delimiters => Gen.Elements(',', ';', '\t', '|');

    private static Gen<Writer> Writers => Gen.Elements(Enum.GetValues<Writer>());

    private static void AssertReadsBack(Case @case)
    {
        var (table, delimiter, encoding, writer) = @case;
        using var harness = new ImportHarness(o => o.SampleRowCount = 1000);

        var preview = harness.PreviewAsync(Write(table, delimiter, writer, encoding)).GetAwaiter().GetResult();

        Assert.Equal(delimiter, preview.Delimiter);
        Assert.Equal(table.Headers, preview.Headers);
        Assert.Equal(table.Rows.Count, preview.RowCount);
        Assert.Equal(table.Rows, preview.SampleRows);
    }

    private static Encoding EncodingOf(Encoder encoder) => encoder switch
    {
        Encoder.Utf8 => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Encoder.Utf8WithBom => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
        Encoder.Utf16LittleEndian => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
        _ => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
    };

    private static byte[] Write(Table table, char delimiter, Writer writer, Encoding encoding)
    {
        using var buffer = new MemoryStream();
        using (var text = new StreamWriter(buffer, encoding, leaveOpen: true))
        {
            if (writer == Writer.CsvHelper)
            {
                using var csv = CsvWriter.Create(text, new CsvWriterOptions { Separator = delimiter }, leaveOpen: true);
                csv.WriteRecord([.. table.Headers]);
                foreach (var row in table.Rows)
                {
                    csv.WriteRecord(row);
                }
            }
            else
            {
                foreach (var record in table.Rows.Prepend([.. table.Headers]))
                {
                    text.Write(string.Join(delimiter, record.Select(cell => '"' + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + '"')));
                    text.Write('\r');
                }
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Tables of 2–6 unique, non-blank, trimmed headers and up to 15 rows, none of them all blank.</summary>
    private static Gen<Table> Tables(string[] headerPieces, string[] cellPieces, string? firstHeader)
    {
        var header = Gen.Elements(headerPieces).ListOf().Select(p => string.Concat(p).Trim()).Where(h => h.Length > 0);
        var headers = header.ListOf()
            .Select(h => h.Prepend(firstHeader ?? h.FirstOrDefault() ?? "a").Distinct(StringComparer.OrdinalIgnoreCase).Take(6).ToList())
            .Where(h => h.Count >= 2);
        var cell = Gen.Frequency(
            (1, Gen.Constant(string.Empty)),
            (4, Gen.Elements(cellPieces).ListOf().Select(p => string.Concat(p).Normalize(NormalizationForm.FormC))));
        return
            from names in headers
            from rows in cell.ArrayOf(names.Count).Where(r => !r.All(string.IsNullOrWhiteSpace)).ListOf()
            select new Table(names, [.. rows.Take(15)]);
    }

    public sealed record Case(Table Table, char Delimiter, Encoding Encoding, Writer Writer)
    {
        public override string ToString() => $"{Writer}, {Encoding.WebName}, delimiter {(int)Delimiter}:{Environment.NewLine}{Table}";
    }

    public sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<string[]> Rows)
    {
        public override string ToString() =>
            string.Join(" | ", Headers) + Environment.NewLine +
            string.Join(Environment.NewLine, Rows.Select(r => string.Join(" | ", r.Select(c => c.ReplaceLineEndings("⏎")))));
    }
}
