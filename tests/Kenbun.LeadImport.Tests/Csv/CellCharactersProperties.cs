using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kenbun.LeadImport.Csv;

namespace Kenbun.LeadImport.Tests.Csv;

/// <summary>
/// The engine reads identifier and field cells as characters (<see cref="CsvFileReader.GetCellChars"/>) rather than as
/// strings, and every other reader of cells goes through them: for any record, a cell reads as the text written into it,
/// in NFC and untrimmed (empty past the record's end), and it is blank exactly when that text is empty or whitespace.
/// </summary>
public class CellCharactersProperties
{
    private static readonly string[] Pieces =
        ["a", "Z", "0", "@", ".", "+", "-", "'", "=", " ", "\t", "\u00a0", "\u3000", "é", "e\u0301", "Å", "A\u030a", "漢", "😀", "ß", "\u200b", ",", "\"", "\n"];

    [Property(MaxTest = 300)]
    public Property A_cell_reads_as_the_text_written_in_NFC() =>
        Prop.ForAll(Records.ToArbitrary(), cells =>
        {
            using var reader = Open(cells);
            Assert.True(reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult());
            for (var i = 0; i < cells.Length + 2; i++)
            {
                var written = i < cells.Length ? cells[i].Normalize(NormalizationForm.FormC) : string.Empty;
                Assert.Equal(written, reader.GetCellChars(i).ToString());
                Assert.Equal(written, reader.GetCell(i));
                Assert.Equal(string.IsNullOrWhiteSpace(written), reader.IsBlank(i));
            }
        });

    /// <summary>Records of one to five cells, with one cell that is not blank so the record is read.</summary>
    private static Gen<string[]> Records =>
        from count in Gen.Choose(1, 5)
        from cells in Gen.ArrayOf(Gen.ArrayOf(Gen.Elements(Pieces)).Select(string.Concat), count)
        select cells.Append("x").ToArray();

    private static CsvFileReader Open(string[] cells)
    {
        var record = string.Join(',', cells.Select(cell => "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        var content = new MemoryStream(Encoding.UTF8.GetBytes($"h\n{record}\n"));
        var limits = new CsvReadLimits(MaxColumns: 100, MaxRecordBytes: 1 << 20);
        return CsvFileReader.OpenAsync(content, new CsvFileFormat(CsvTextEncoding.Utf8, HasByteOrderMark: false, ','), limits, CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();
    }
}
