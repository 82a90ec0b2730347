using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Csv;

/// <summary>
/// CONTRACT §2: the delimiter is detected the same whether or not the file ends with a line break. Files of a few lines
/// mixing all four candidates, in any encoding the reader accepts, preview alike with and without a final CR, LF or CR LF:
/// the same delimiter, or the same refusal.
/// </summary>
public class DelimiterDetectionProperties
{
    private static readonly string[] LineEnds = ["\n", "\r\n", "\r"];

    private static readonly string[] Pieces = ["a", "b", "1", "é", " ", ",", ";", "\t", "|", "\"x,y\"", "\"p;q|r\""];

    [Property(MaxTest = 300)]
    public Property Detection_with_and_without_a_final_line_break_agrees() =>
        Prop.ForAll(
            (from lines in Gen.Elements(Pieces).NonEmptyListOf().Select(p => string.Concat(p.Take(10))).NonEmptyListOf()
             from end in Gen.Elements(LineEnds)
             from finalEnd in Gen.Elements(LineEnds)
             from encoding in Gen.Elements(UploadEncodings.All)
             select new Case(string.Join(end, lines.Take(6)), finalEnd, encoding)).ToArbitrary(),
            @case =>
            {
                using var harness = new ImportHarness();

                Assert.Equal(Outcome(harness, @case.Encode(@case.Text)), Outcome(harness, @case.Encode(@case.Text + @case.FinalEnd)));
            });

    /// <summary>The delimiter the preview chose, or the message it refused the file with.</summary>
    private static string Outcome(ImportHarness harness, byte[] file)
    {
        try
        {
            return $"delimiter {(int)harness.PreviewAsync(file).GetAwaiter().GetResult().Delimiter}";
        }
        catch (InvalidCsvFileException e)
        {
            return e.Message;
        }
    }

    public sealed record Case(string Text, string FinalEnd, Encoding Encoding)
    {
        public byte[] Encode(string text) => [.. Encoding.GetPreamble(), .. Encoding.GetBytes(text)];

        public override string ToString() =>
            $"{Encoding.WebName}{(Encoding.GetPreamble().Length > 0 ? " with BOM" : "")}, final {Show(FinalEnd)}: {Show(Text)}";

        private static string Show(string text) =>
            text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
    }
}
