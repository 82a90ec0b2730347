using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Csv;

/// <summary>
/// CONTRACT §2: a quoted field still open at the end of the file is a 400 naming the line where its quote opens, whatever
/// else is wrong earlier in that record (text after a closing quote, a quote inside an unquoted cell) or in earlier
/// records; and a file whose quotes all close is never refused for it, its records read as they were written.
/// </summary>
public class OpenQuoteProperties
{
    private static readonly string[] LineEnds = ["\n", "\r\n", "\r"];

    private static readonly string[] FinalLineEnds = ["", .. LineEnds];

    [Property(MaxTest = 300)]
    public Property A_file_that_ends_inside_a_quoted_field_is_refused_naming_the_line_its_quote_opens() =>
        Prop.ForAll(
            (from delimiter in Gen.Elements(',', ';', '\t', '|')
             from earlier in Records(delimiter)
             from prefix in Gen.Choose(0, 3).SelectMany(n => Cell(delimiter).ArrayOf(n))
             from open in QuotedContent(delimiter)
             select new OpenFile(
                 earlier.Text + string.Concat(prefix.Select(c => c.Text + delimiter)) + "\"",
                 open)).ToArbitrary(),
            file =>
            {
                using var harness = new ImportHarness();

                var error = Assert.ThrowsAsync<InvalidCsvFileException>(() => harness.PreviewAsync(file.BeforeQuote + file.Open)).GetAwaiter().GetResult();

                var line = 1 + CountLineBreaks(file.BeforeQuote);
                Assert.Contains($"A quoted field that starts on line {line} is never closed", error.Message, StringComparison.Ordinal);
                Assert.Equal(line, error.Line);
            });

    [Property(MaxTest = 300)]
    public Property A_file_whose_quotes_all_close_is_not_refused_and_keeps_every_record() =>
        Prop.ForAll(
            (from delimiter in Gen.Elements(',', ';', '\t', '|')
             from records in Records(delimiter)
             from last in Cell(delimiter).NonEmptyListOf().Select(cells => cells.Take(4).ToArray())
             from end in Gen.Elements(FinalLineEnds)
             select records.Append(last, delimiter, end)).ToArbitrary(),
            file =>
            {
                using var harness = new ImportHarness();

                var preview = harness.PreviewAsync(file.Text).GetAwaiter().GetResult();

                Assert.Equal(file.Rows, preview.RowCount);
            });

    /// <summary>A header line and up to four records, every quote closed, each record ended by a line break.</summary>
    private static Gen<ClosedFile> Records(char delimiter) =>
        from end in Gen.Elements(LineEnds)
        from n in Gen.Choose(0, 4)
        from records in Cell(delimiter).NonEmptyListOf().Select(cells => cells.Take(4).ToArray()).ArrayOf(n)
        from ends in Gen.Elements(LineEnds).ArrayOf(n)
        select records.Zip(ends).Aggregate(new ClosedFile($"a{delimiter}b{end}", 0), (file, r) => file.Append(r.First, delimiter, r.Second));

    /// <summary>
    /// A cell as a spreadsheet or a hand edit may leave it, and the value CsvHelper reads from it: plain text; a quoted
    /// field (delimiters, line breaks and doubled quotes inside); text after the closing quote (<c>"Ann"x</c>,
    /// <c>"a@b.co" </c>), where further quotes are text; a quote inside an unquoted cell (<c>5'2"</c>).
    /// </summary>
    private static Gen<CellText> Cell(char delimiter)
    {
        var plain = Text(["a", "1", " ", "'", "é"]);
        var quoted = QuotedContent(delimiter).Select(c => new CellText($"\"{c}\"", c.Replace("\"\"", "\"", StringComparison.Ordinal)));
        var afterClosingQuote =
            from q in quoted
            from first in Gen.Elements("x", " ", "'")
            from rest in Text(["x", " ", "\"", "'"])
            select new CellText(q.Text + first + rest, q.Value + first + rest);
        var strayQuote =
            from first in Gen.Elements("5", "a", " ", "'")
            from middle in Text(["2", "'", "a", " "])
            from rest in Text(["\"", "x", " "])
            select first + middle + "\"" + rest;
        return Gen.OneOf(plain.Select(p => new CellText(p, p)), quoted, afterClosingQuote, strayQuote.Select(s => new CellText(s, s)));
    }

    /// <summary>What may stand between the quotes of a quoted field: every quote doubled.</summary>
    private static Gen<string> QuotedContent(char delimiter) => Text(["a", " ", delimiter.ToString(), "\n", "\r\n", "\r", "\"\""]);

    private static Gen<string> Text(string[] pieces) => Gen.Elements(pieces).ListOf().Select(p => string.Concat(p.Take(8)));

    /// <summary>Line breaks as lines are counted: CR LF, a lone CR and a lone LF each end one line.</summary>
    private static int CountLineBreaks(string text) =>
        text.AsSpan().Count('\n') + text.AsSpan().Count('\r') - text.AsSpan().Count("\r\n");

    public sealed record CellText(string Text, string Value);

    /// <summary>A file's text so far, every quote closed, and how many of its records are rows (not blank).</summary>
    public sealed record ClosedFile(string Text, int Rows)
    {
        public ClosedFile Append(CellText[] record, char delimiter, string end) =>
            new(Text + string.Join(delimiter, record.Select(c => c.Text)) + end, Rows + (record.All(c => string.IsNullOrWhiteSpace(c.Value)) ? 0 : 1));

        public override string ToString() => $"{Rows} rows: {Show(Text)}";
    }

    /// <summary>A file that ends inside a quoted field: its text up to and with the opening quote, then the rest.</summary>
    public sealed record OpenFile(string BeforeQuote, string Open)
    {
        public override string ToString() => Show(BeforeQuote) + " ⟨open⟩ " + Show(Open);
    }

    private static string Show(string text) =>
        text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}
