using System.Globalization;
using System.Security;
using System.Text;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// Draws a results file of the macro mode (<see cref="MacroResult"/>) as an SVG bar chart: rows per second on a
/// logarithmic axis, a group of two bars per store and file size (the import, and beside it the hand-written dedup of
/// the same file), groups ordered by store and size. The latest line of each store, way (<c>via</c>) and size is drawn.
/// </summary>
/// <remarks><c>dotnet run -c Release --project benchmarks/Kenbun.LeadImport.Benchmarks -- plot results.csv docs/performance-rows-per-second.svg</c></remarks>
internal static class RowsPerSecondPlot
{
    private const int Left = 64;
    private const int Top = 72;
    private const int MinWidth = 600;
    private const int PlotHeight = 240;
    private const int Bar = 26;
    private const int GroupGap = 14;
    private const int StoreGap = 28;
    private const string Ours = "#2b6cb0";
    private const string HandWritten = "#a0aec0";

    private static readonly string[] StoreOrder = ["memory", "sqlite", "postgresql"];

    /// <summary>Reads <paramref name="csvFile"/> and writes the chart to <paramref name="svgFile"/>.</summary>
    public static void Write(string csvFile, string svgFile)
    {
        var results = MacroResult.ReadAll(csvFile)
            .GroupBy(r => (r.Store, r.Via, r.Rows))
            .Select(g => g.Last())
            .OrderBy(r => Array.IndexOf(StoreOrder, r.Store) is var i and >= 0 ? i : StoreOrder.Length)
            .ThenBy(r => r.Store, StringComparer.Ordinal)
            .ThenBy(r => r.Via, StringComparer.Ordinal)
            .ThenBy(r => r.Rows)
            .ToList();
        if (results.Count == 0)
        {
            throw new InvalidOperationException($"{csvFile} holds no results.");
        }

        File.WriteAllText(svgFile, Draw(results));
        Console.WriteLine($"{svgFile}: {results.Count} store and size groups from {csvFile}");
    }

    private static string Draw(List<MacroResult> results)
    {
        var values = results.SelectMany(r => new[] { r.RowsPerSecond, r.BaselineRowsPerSecond }).ToList();
        var axis = new LogAxis(values.Min(), values.Max(), Top + PlotHeight, PlotHeight);
        var stores = results.GroupBy(r => (r.Store, r.Via)).ToList();
        var width = Math.Max(MinWidth, Left + (results.Count * ((2 * Bar) + GroupGap)) + (stores.Count * StoreGap) + 20);
        var svg = new StringBuilder();
        svg.Append(Invariant($"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{Top + PlotHeight + 64}" font-family="sans-serif" font-size="11">"""));
        svg.Append("\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(Text(Left, 22, "Rows per second by store and file size (higher is better)", "start", "font-size=\"14\" font-weight=\"bold\""));
        Legend(svg);
        foreach (var tick in axis.Ticks())
        {
            var y = axis.Y(tick);
            svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{width - 20}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e2e8f0\"/>\n"));
            svg.Append(Text(Left - 6, y + 4, Compact(tick), "end"));
        }

        var x = (double)Left;
        foreach (var store in stores)
        {
            x += StoreGap / 2.0;
            var start = x;
            foreach (var result in store)
            {
                BarWithLabel(svg, axis, x, result.RowsPerSecond, Ours);
                BarWithLabel(svg, axis, x + Bar, result.BaselineRowsPerSecond, HandWritten);
                svg.Append(Text(x + Bar, Top + PlotHeight + 16, Compact(result.Rows) + " rows", "middle"));
                x += (2 * Bar) + GroupGap;
            }

            svg.Append(Text((start + x - GroupGap) / 2, Top + PlotHeight + 36, $"{store.Key.Store} ({store.Key.Via})", "middle", "font-size=\"12\" font-weight=\"bold\""));
            x += StoreGap / 2.0;
        }

        svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{width - 20}\" y1=\"{Top + PlotHeight}\" y2=\"{Top + PlotHeight}\" stroke=\"#4a5568\"/>\n"));
        return svg.Append("</svg>\n").ToString();
    }

    private static void Legend(StringBuilder svg)
    {
        foreach (var (label, colour, x) in new[] { ("Kenbun.LeadImport", Ours, Left), ("hand-written SQL on the same store (SQLite's for memory)", HandWritten, Left + 140) })
        {
            svg.Append(Invariant($"<rect x=\"{x}\" y=\"32\" width=\"12\" height=\"12\" fill=\"{colour}\"/>\n"));
            svg.Append(Text(x + 18, 42, label, "start"));
        }
    }

    private static void BarWithLabel(StringBuilder svg, LogAxis axis, double x, double value, string colour)
    {
        var y = axis.Y(value);
        svg.Append(Invariant($"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{Bar - 2}\" height=\"{Top + PlotHeight - y:0.#}\" fill=\"{colour}\"><title>{value:0} rows/s</title></rect>\n"));
        svg.Append(Text(x + ((Bar - 2) / 2.0), y - 4, Compact(value), "middle", "font-size=\"10\""));
    }

    private static string Text(double x, double y, string text, string anchor, string attributes = "") =>
        Invariant($"<text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\" {attributes}>{SecurityElement.Escape(text)}</text>\n");

    /// <summary>A number as a chart labels it: 850, 4.5k, 51k, 1.2M.</summary>
    private static string Compact(double value) => value switch
    {
        >= 1e6 => Invariant($"{value / 1e6:0.#}M"),
        >= 1e4 => Invariant($"{value / 1e3:0}k"),
        >= 1e3 => Invariant($"{value / 1e3:0.#}k"),
        _ => Invariant($"{value:0}"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A logarithmic y axis from the decade below the smallest value to the decade above the largest.</summary>
    private sealed class LogAxis(double min, double max, double bottom, double height)
    {
        private readonly double _low = Math.Floor(Math.Log10(min));
        private readonly double _high = Math.Max(Math.Ceiling(Math.Log10(max)), Math.Floor(Math.Log10(min)) + 1);

        /// <summary>The y coordinate of <paramref name="value"/>.</summary>
        public double Y(double value) => bottom - ((Math.Log10(value) - _low) / (_high - _low) * height);

        /// <summary>1, 2 and 5 times each power of ten on the axis, and its top.</summary>
        public IEnumerable<double> Ticks()
        {
            for (var decade = _low; decade < _high; decade++)
            {
                foreach (var step in (int[])[1, 2, 5])
                {
                    yield return step * Math.Pow(10, decade);
                }
            }

            yield return Math.Pow(10, _high);
        }
    }
}
