using System.Text;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Csv;

/// <summary>CONTRACT §2, how files are read: encodings, delimiters, quoting, line ends, blank records, NFC.</summary>
public class CsvReadingRulesTests
{
    private readonly ImportHarness _harness = new(o => o.SampleRowCount = 100);

    [Fact]
    public async Task Utf8_bom_never_leaks_into_the_first_header()
    {
        var preview = await _harness.PreviewAsync([0xEF, 0xBB, 0xBF, .. "Email,Name\na@x.com,Ann\n"u8]);

        Assert.Equal(["Email", "Name"], preview.Headers);
        Assert.Equal("utf-8", preview.Encoding);
        Assert.Equal(["Email"], preview.AutoDetectedIdentifiers.EmailColumns);
    }

    [Theory]
    [InlineData("sep=;\nEmail;Name\nann@x.com;Ann\n")]
    [InlineData("SEP=;\r\nEmail;Name\r\nann@x.com;Ann\r\n")]
    [InlineData("\uFEFFsep=;\nEmail;Name\nann@x.com;Ann")]
    public async Task An_excel_sep_line_names_the_delimiter_and_is_not_the_header(string csv)
    {
        var preview = await _harness.PreviewAsync(csv);

        Assert.Equal(';', preview.Delimiter);
        Assert.Equal(["Email", "Name"], preview.Headers);
        Assert.Equal(["ann@x.com", "Ann"], preview.SampleRows[0]);
        Assert.Equal(1, preview.RowCount);
    }

    [Fact]
    public async Task Utf8_without_bom_is_read_as_utf8()
    {
        var preview = await _harness.PreviewAsync("Name,City\nJosé,Zürich\n");

        Assert.Equal("utf-8", preview.Encoding);
        Assert.Equal(["José", "Zürich"], preview.SampleRows[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Utf16_with_bom_is_read_in_its_byte_order(bool bigEndian)
    {
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        var preview = await _harness.PreviewAsync([.. encoding.GetPreamble(), .. encoding.GetBytes("Email;Name\nann@x.com;Zoë\n")]);

        Assert.Equal(bigEndian ? "utf-16be" : "utf-16le", preview.Encoding);
        Assert.Equal(["Email", "Name"], preview.Headers);
        Assert.Equal(["ann@x.com", "Zoë"], preview.SampleRows[0]);
    }

    [Fact]
    public async Task A_file_with_invalid_utf8_is_read_whole_as_windows_1252()
    {
        var preview = await _harness.PreviewAsync(UploadEncodings.Windows1252.GetBytes("Name,Price\nJosé,5 €\n“Quoted”,‰\n"));

        Assert.Equal("windows-1252", preview.Encoding);
        Assert.Equal(["José", "5 €"], preview.SampleRows[0]);
        Assert.Equal(["“Quoted”", "‰"], preview.SampleRows[1]);
    }

    [Fact]
    public async Task Invalid_utf8_late_in_the_file_still_switches_the_whole_file_to_windows_1252()
    {
        var text = "Name\nZürich\n" + string.Concat(Enumerable.Repeat("padding\n", 20_000));
        byte[] bytes = [.. Encoding.UTF8.GetBytes(text), .. UploadEncodings.Windows1252.GetBytes("Café\n")];

        var preview = await _harness.PreviewAsync(bytes);

        Assert.Equal("windows-1252", preview.Encoding);
        Assert.Equal("ZÃ¼rich", preview.SampleRows[0][0]);
    }

    [Fact]
    public async Task A_utf8_bom_on_a_windows_1252_file_is_skipped_too()
    {
        var preview = await _harness.PreviewAsync([0xEF, 0xBB, 0xBF, .. UploadEncodings.Windows1252.GetBytes("Name\nJosé\n")]);

        Assert.Equal("windows-1252", preview.Encoding);
        Assert.Equal(["Name"], preview.Headers);
        Assert.Equal("José", preview.SampleRows[0][0]);
    }

    [Theory]
    [InlineData(',', "Email,First Name,Phone\na@x.com,Ann,+1 555 0100\n")]
    [InlineData(';', "Email;First Name;Phone\na@x.com;Ann;+1 555 0100\n")]
    [InlineData('\t', "Email\tFirst Name\tPhone\na@x.com\tAnn\t+1 555 0100\n")]
    [InlineData('|', "Email|First Name|Phone\na@x.com|Ann|+1 555 0100\n")]
    public async Task Delimiter_is_detected_among_comma_semicolon_tab_and_pipe(char delimiter, string csv)
    {
        var preview = await _harness.PreviewAsync(csv);

        Assert.Equal(delimiter, preview.Delimiter);
        Assert.Equal(["Email", "First Name", "Phone"], preview.Headers);
        Assert.Equal(["a@x.com", "Ann", "+1 555 0100"], preview.SampleRows[0]);
    }

    [Fact]
    public async Task Semicolons_with_decimal_commas_are_detected_as_semicolon_files()
    {
        var preview = await _harness.PreviewAsync("Name;Score;Email\nAnn;1,5;a@x.com\nBob;2,25;b@x.com\n");

        Assert.Equal(';', preview.Delimiter);
        Assert.Equal(["Ann", "1,5", "a@x.com"], preview.SampleRows[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task The_delimiter_is_the_same_whether_or_not_the_file_ends_with_a_line_break(string end)
    {
        // CONTRACT §2: the delimiter is detected the same whether or not the file ends with a line break; the last line counts.
        var preview = await _harness.PreviewAsync("a,\t\tb\n1,\t\t2\n3,4" + end);

        Assert.Equal(',', preview.Delimiter);
        Assert.Equal(["a", "b"], preview.Headers);
        Assert.Equal([["1", "\t\t2"], ["3", "4"]], preview.SampleRows);
    }

    [Fact]
    public async Task A_header_line_without_any_delimiter_means_a_single_comma_column()
    {
        var preview = await _harness.PreviewAsync("Email\nx;y@a.com\nz|w@a.com\n");

        Assert.Equal(',', preview.Delimiter);
        Assert.Equal(["Email"], preview.Headers);
        Assert.Equal(["x;y@a.com"], preview.SampleRows[0]);
        Assert.Equal(["z|w@a.com"], preview.SampleRows[1]);
    }

    [Fact]
    public async Task Decomposed_text_is_normalised_to_nfc()
    {
        var decomposed = "Jose\u0301";
        var preview = await _harness.PreviewAsync($"Nom\u0301,City\n{decomposed},Cafe\u0301\n");

        Assert.Equal(["Noḿ".Normalize(NormalizationForm.FormC), "City"], preview.Headers);
        Assert.Equal("José", preview.SampleRows[0][0]);
        Assert.Equal("Café", preview.SampleRows[0][1]);
        Assert.True(preview.SampleRows[0][0].IsNormalized(NormalizationForm.FormC));
    }

    [Fact]
    public async Task Quoted_fields_hold_delimiters_doubled_quotes_and_line_breaks_byte_for_byte()
    {
        var preview = await _harness.PreviewAsync("Name,Notes\r\n\"Doe, Jane\",\"She said \"\"hi\"\"\r\nthen left\"\r\n\"x\",\"a\nb\"\r\n");

        Assert.Equal(2, preview.RowCount);
        Assert.Equal(["Doe, Jane", "She said \"hi\"\r\nthen left"], preview.SampleRows[0]);
        Assert.Equal(["x", "a\nb"], preview.SampleRows[1]);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public async Task Crlf_lf_and_cr_line_ends_are_all_accepted(string lineEnd)
    {
        var preview = await _harness.PreviewAsync(string.Join(lineEnd, "a,b", "1,2", "3,4"));

        Assert.Equal(2, preview.RowCount);
        Assert.Equal(["3", "4"], preview.SampleRows[1]);
    }

    [Fact]
    public async Task A_quote_inside_an_unquoted_field_is_kept_as_a_character()
    {
        var preview = await _harness.PreviewAsync("Place,Coordinates\nHome,37°36'37.8\"N 121°2'17.9\"W\n");

        Assert.Equal("37°36'37.8\"N 121°2'17.9\"W", preview.SampleRows[0][1]);
    }

    [Fact]
    public async Task Records_of_only_empty_or_whitespace_cells_are_not_rows()
    {
        var preview = await _harness.PreviewAsync("a,b\n1,2\n\n,\n  ,\t\n\"\",\"\"\n\u00a0, \n3,4\n");

        Assert.Equal(2, preview.RowCount);
        Assert.Equal([["1", "2"], ["3", "4"]], preview.SampleRows);
    }

    [Fact]
    public async Task Sample_rows_keep_cells_as_parsed_including_short_and_long_records()
    {
        var preview = await _harness.PreviewAsync("a,b,c\n 1 ,2\n4,5,6,7\n");

        Assert.Equal([" 1 ", "2"], preview.SampleRows[0]);
        Assert.Equal(["4", "5", "6", "7"], preview.SampleRows[1]);
        Assert.Equal(2, preview.RowCount);
    }

    [Theory]
    [InlineData("Zeit;Email;Status;\n10:00;a@x.com;neu;\n11:00;b@x.com;alt;\n")]
    [InlineData("Zeit;Email;Status;; \r\n10:00;a@x.com;neu\r\n11:00;b@x.com;alt;;\r\n")]
    public async Task Blank_cells_at_the_end_of_the_header_line_are_dropped(string csv)
    {
        // CONTRACT §2: blank cells at the very end of the header line (a trailing delimiter) are dropped, not an error,
        // and the empty cells under them are beyond the header: not shown in the samples.
        var preview = await _harness.PreviewAsync(csv);

        Assert.Equal(';', preview.Delimiter);
        Assert.Equal(["Zeit", "Email", "Status"], preview.Headers);
        Assert.Equal(2, preview.RowCount);
        Assert.Equal([["10:00", "a@x.com", "neu"], ["11:00", "b@x.com", "alt"]], preview.SampleRows);
        Assert.Equal(["Email"], preview.AutoDetectedIdentifiers.EmailColumns);
    }

    [Fact]
    public async Task Sample_rows_leave_out_blank_cells_that_end_a_record_beyond_the_header()
    {
        // CONTRACT §2 and §5: empty cells beyond the header are ignored, non-empty ones are kept (they make the row malformed).
        var preview = await _harness.PreviewAsync("a,b\n1,2,\n3,,\n4,5,x,\n,6, ,\t\n");

        Assert.Equal(["a", "b"], preview.Headers);
        Assert.Equal([["1", "2"], ["3", ""], ["4", "5", "x"], ["", "6"]], preview.SampleRows);
    }

    [Fact]
    public async Task Headers_are_trimmed()
    {
        var preview = await _harness.PreviewAsync(" Email ,\tName\n");

        Assert.Equal(["Email", "Name"], preview.Headers);
        Assert.Equal(0, preview.RowCount);
    }
}
