using System.Globalization;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>The options the benchmark's own modes read: <c>--name value</c> pairs.</summary>
internal static class CommandLineArgs
{
    /// <summary>The value after <paramref name="name"/>, or <see langword="null"/> when it is not given.</summary>
    public static string? Value(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    /// <summary>The file sizes of <c>--rows 10000,100000</c>, or <paramref name="fallback"/>'s.</summary>
    public static int[] Rows(string[] args, string fallback) =>
        [.. (Value(args, "--rows") ?? fallback).Split(',').Select(rows => int.Parse(rows, CultureInfo.InvariantCulture))];
}
