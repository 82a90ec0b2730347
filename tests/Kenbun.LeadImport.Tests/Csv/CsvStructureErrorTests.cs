using System.Text;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Csv;

/// <summary>CONTRACT §2, what makes a file unreadable (400): each problem named, with its line, and nothing kept.</summary>
public class CsvStructureErrorTests
{
    private readonly ImportHarness _harness = new(o =>
    {
        o.MaxColumns = 4;
        o.MaxRecordBytes = 64;
    });

    [Fact]
    public async Task An_empty_file_is_rejected()
    {
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>([]);

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
        AssertNothingStored();
    }

    [Theory]
    [InlineData("\n\n\n")]
    [InlineData("\r\n")]
    [InlineData("\uFEFF")]
    [InlineData("sep=;\n")]
    [InlineData("sep=|")]
    [InlineData("\uFEFFSEP=;\r\n\r\n")]
    public async Task A_file_without_a_header_row_is_rejected(string csv)
    {
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>(csv);

        Assert.Contains("no header row", error.Message, StringComparison.Ordinal);
        AssertNothingStored();
    }

    [Theory]
    [InlineData(",,\n1,2,3\n")]
    [InlineData("   \n1\n")]
    public async Task A_blank_first_row_is_rejected(string csv)
    {
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>(csv);

        Assert.Contains("blank", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Theory]
    [InlineData("Email,,Name\n", 2)]
    [InlineData("Email, ,Name\n", 2)]
    [InlineData("Email,,Name,\n", 2)]
    [InlineData(" ,Email\n", 1)]
    public async Task A_blank_header_cell_is_rejected_naming_its_column(string csv, int column)
    {
        // CONTRACT §2: a blank header cell is a 400; only blank cells at the very end of the header line are dropped instead.
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>(csv);

        Assert.Contains($"Column {column} of the header row has no name", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
        AssertNothingStored();
    }

    [Theory]
    [InlineData("Email,Name,email\n", "\"Email\" (column 1) and \"email\" (column 3)")]
    [InlineData("Name, Email,Email \n", "\"Email\" (column 2) and \"Email\" (column 3)")]
    public async Task Two_headers_equal_after_trimming_and_ignoring_case_are_rejected_by_name(string csv, string named)
    {
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>(csv);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        AssertNothingStored();
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,\"open\n4,5\n", 3)]
    [InlineData("a,b\n\"x\ny\",\"open\n4,5\n", 3)]
    [InlineData("a,b\r\n\r\n1,\"x\ry\r\nz\",\"open\r\n", 5)]
    [InlineData("a,b\n\"Ann\"x,\"open\n4,5\n", 2)]
    [InlineData("a,b\n\"a@b.co\" ,\"open\n4,5\n", 2)]
    [InlineData("a,b\n5'2\",\"open\n4,5\n", 2)]
    [InlineData("a,b\n5'2\",\"open", 2)]
    [InlineData("a,b\n1,2\n\"x\ny\"z,\"open\n4,5\n", 4)]
    [InlineData("a,b\n\"x\r\ny\"z,\"open\r\n4,5\r\n", 3)]
    public async Task A_quoted_field_still_open_at_the_end_of_the_file_is_rejected_with_the_line_its_quote_opens(string csv, int line)
    {
        // CONTRACT §2: a quoted field still open at the end of the file (whatever else is wrong earlier in that record,
        // here text or a space after a closing quote, or a quote inside an unquoted cell) is a 400.
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>(csv);

        Assert.Contains($"A quoted field that starts on line {line} is never closed", error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
        AssertNothingStored();
    }

    [Theory]
    [InlineData("a,b\n\"Ann\" \"x,y\n3,4\n", "Ann \"x")]
    [InlineData("a,b\n5'2\",\"x\"\n3,4\n", "5'2\"")]
    [InlineData("a,b\n\"Ann\"x\"y\n3,4\n", "Annx\"y")]
    public async Task A_quote_that_does_not_start_a_cell_opens_no_quoted_field(string csv, string firstCell)
    {
        // CONTRACT §2: only a quote that starts a cell opens a quoted field; after text that follows a closing quote, quotes are text.
        var preview = await _harness.PreviewAsync(csv);

        Assert.Equal(2, preview.RowCount);
        Assert.Equal(firstCell, preview.SampleRows[0][0]);
        Assert.Equal(["3", "4"], preview.SampleRows[1]);
    }

    [Theory]
    [InlineData("a,b\n1,x\0y\n", 2)]
    [InlineData("a\0,b\n1,2\n", 1)]
    public async Task Nul_characters_mean_the_file_is_not_text(string csv, int line)
    {
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>(csv);

        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public async Task Utf16_without_a_bom_is_not_text()
    {
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>(Encoding.Unicode.GetBytes("a,b\n1,2\n"));

        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<byte[], long, string> BrokenUtf16() => new()
    {
        // An odd trailing byte: leniently it became an extra row holding U+FFFD.
        { [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("Email\r\nann@x.com\r\n"), 0x41], 3, "odd number of bytes" },
        // A lone high surrogate in a cell of line 3, a lone low one on line 2.
        { [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("Email,Name\nann@x.com,Ann\nbob@x.com,B"), 0x3D, 0xD8, .. Encoding.Unicode.GetBytes("b\n")], 3, "unpaired surrogate" },
        { [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("Email\rx"), 0xDC, 0x00, .. Encoding.BigEndianUnicode.GetBytes("@x.com\r")], 2, "unpaired surrogate" },
        { [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("Email\nann@x.com"), 0x3D, 0xD8], 2, "half of a surrogate pair" },
    };

    [Theory]
    [MemberData(nameof(BrokenUtf16))]
    public async Task Broken_utf16_is_refused_with_the_line_where_the_text_breaks(byte[] file, long line, string why)
    {
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>(file);

        Assert.Equal(line, error.Line);
        Assert.Contains("not valid UTF-16", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        AssertNothingStored();
    }

    [Fact]
    public async Task Valid_utf16_with_characters_beyond_the_basic_plane_is_read_as_written()
    {
        var preview = await _harness.PreviewAsync([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("Email,Name\nann@x.com,Ann 😀\n")]);

        Assert.Equal("Ann 😀", preview.SampleRows[0][1]);
    }

    [Fact]
    public async Task More_columns_than_the_limit_are_rejected()
    {
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>("a,b,c,d,e\n");

        Assert.Contains("5 columns; a file may have at most 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_record_with_more_cells_than_the_column_limit_is_rejected()
    {
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>("a,b\n1,2\n1,2,3,4,5\n");

        Assert.Equal(3, error.Line);
    }

    [Fact]
    public async Task A_record_over_the_size_limit_is_rejected_with_its_line()
    {
        var error = await _harness.PreviewFailsAsync<InvalidCsvFileException>($"a,b\n1,2\n3,{new string('x', 100)}\n");

        Assert.Contains("at most 64 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public async Task A_row_with_more_cells_than_headers_is_not_a_file_error()
    {
        var preview = await _harness.PreviewAsync("a,b\n1,2,3\n");

        Assert.Equal(1, preview.RowCount);
    }

    private void AssertNothingStored() => Assert.Equal(0, _harness.StoredFileCount);
}
