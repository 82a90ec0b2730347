using System.Globalization;
using BenchmarkDotNet.Attributes;
using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// Normalising one identifier, as the engine does for every primary and alias cell: phones in the styles files hold
/// them (E.164 as stored, which takes the fast path; written with <c>+</c> and separators; national with a region;
/// digits alone with none), against an email. Each operation normalises <see cref="Count"/> distinct values.
/// </summary>
[MemoryDiagnoser]
public class IdentifierBenchmarks
{
    private const int Count = 1000;

    private readonly string[] _e164 = Values(i => $"+1415555{i:0000}");
    private readonly string[] _international = Values(i => $"+1 (415) 555-{i:0000}");
    private readonly string[] _national = Values(i => $"(415) 555-{i:0000}");
    private readonly string[] _digits = Values(i => $"415 555 {i:0000}");
    private readonly string[] _emails = Values(i => $"Person{i}@Example.com");

    [Benchmark(OperationsPerInvoke = Count)]
    public int PhoneAlreadyE164() => Normalize(IdentifierKind.Phone, _e164, null);

    [Benchmark(OperationsPerInvoke = Count)]
    public int PhoneWithPlusAndSeparators() => Normalize(IdentifierKind.Phone, _international, null);

    [Benchmark(OperationsPerInvoke = Count)]
    public int PhoneNationalWithRegion() => Normalize(IdentifierKind.Phone, _national, "US");

    [Benchmark(OperationsPerInvoke = Count)]
    public int PhoneDigitsAloneWithoutRegion() => Normalize(IdentifierKind.Phone, _digits, null);

    [Benchmark(OperationsPerInvoke = Count, Baseline = true)]
    public int Email() => Normalize(IdentifierKind.Email, _emails, null);

    private static int Normalize(IdentifierKind kind, string[] values, string? region)
    {
        var valid = 0;
        foreach (var value in values)
        {
            valid += IdentifierNormalizer.TryNormalize(kind, value, region, out _) ? 1 : 0;
        }

        return valid;
    }

    private static string[] Values(Func<int, FormattableString> format) =>
        [.. Enumerable.Range(0, Count).Select(i => format(i).ToString(CultureInfo.InvariantCulture))];
}
