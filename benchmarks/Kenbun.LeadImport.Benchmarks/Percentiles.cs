namespace Kenbun.LeadImport.Benchmarks;

/// <summary>Nearest-rank percentiles of the modes' own measurements (load, pickup, scale), and how busy the machine was.</summary>
internal static class Percentiles
{
    /// <summary>The machine's 1-minute load average (<c>/proc/loadavg</c>): other work on a shared machine shows here.</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>The <paramref name="p"/> percentile (0 to 1) of <paramref name="sorted"/>, an ascending array; 0 when it is empty.</summary>
    public static double Of(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
