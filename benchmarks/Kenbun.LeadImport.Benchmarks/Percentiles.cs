namespace Kenbun.LeadImport.Benchmarks;

/// <summary>Nearest-rank percentiles of the modes' own measurements (load, pickup, scale).</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="p"/> percentile (0 to 1) of <paramref name="sorted"/>, an ascending array; 0 when it is empty.</summary>
    public static double Of(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
