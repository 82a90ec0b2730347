using System.Globalization;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// One line of the macro mode's results file (<c>-- import … --csv file</c>, columns <see cref="Header"/>): the median
/// import of one size on one store beside the hand-written dedup of the same file. <see cref="RowsPerSecondPlot"/> draws
/// a file of them.
/// </summary>
internal sealed record MacroResult(string Date, string Store, string Via, int Rows, double ImportSeconds, double PeakWorkingSetMb, string AllocatedBytesPerRow, double BaselineSeconds)
{
    /// <summary>The file's first line.</summary>
    public const string Header = "date,store,via,rows,import_s,rows_per_s,peak_ws_mb,alloc_b_per_row,baseline_s";

    /// <summary>The import's rows per second.</summary>
    public double RowsPerSecond => Rows / ImportSeconds;

    /// <summary>The hand-written dedup's rows per second.</summary>
    public double BaselineRowsPerSecond => Rows / BaselineSeconds;

    /// <summary>Appends this result to <paramref name="file"/>, starting a new file with <see cref="Header"/>.</summary>
    public void AppendTo(string file)
    {
        var header = File.Exists(file) && new FileInfo(file).Length > 0 ? "" : Header + "\n";
        File.AppendAllText(file, header + string.Create(CultureInfo.InvariantCulture,
            $"{Date},{Store},{Via},{Rows},{ImportSeconds:0.000},{RowsPerSecond:0},{PeakWorkingSetMb:0},{AllocatedBytesPerRow},{BaselineSeconds:0.000}\n"));
    }

    /// <summary>Every result of <paramref name="file"/>, in the order they were appended (a file with or without <see cref="Header"/>).</summary>
    public static IEnumerable<MacroResult> ReadAll(string file) =>
        File.ReadLines(file).Where(line => line.Length > 0 && line != Header).Select(Parse);

    private static MacroResult Parse(string line)
    {
        var cells = line.Split(',');
        return cells.Length == 9
            ? new MacroResult(cells[0], cells[1], cells[2], int.Parse(cells[3], CultureInfo.InvariantCulture), Number(cells[4]), Number(cells[6]), cells[7], Number(cells[8]))
            : throw new FormatException($"A results line has 9 cells ({Header}), not {cells.Length}: {line}");
    }

    private static double Number(string cell) => double.Parse(cell, CultureInfo.InvariantCulture);
}
