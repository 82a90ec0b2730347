using System.Globalization;

namespace Kenbun.LeadImport;

/// <summary>
/// Sizes and durations as messages to users say them, exactly as a host configured them: in the largest unit that holds
/// them whole ("10 MB", "500 KB", "90 seconds", "1 hour"), never rounded to a limit the host did not set. Compiled into
/// the core and the HTTP package, whose messages both name configured limits.
/// </summary>
internal static class MessageAmounts
{
    private static readonly (long Bytes, string Unit)[] SizeUnits = [(1024 * 1024, "MB"), (1024, "KB")];

    private static readonly (TimeSpan Length, string Unit)[] DurationUnits =
        [(TimeSpan.FromDays(1), "day"), (TimeSpan.FromHours(1), "hour"), (TimeSpan.FromMinutes(1), "minute"), (TimeSpan.FromSeconds(1), "second")];

    /// <summary>A size, with its exact bytes when said in a larger unit: "10 MB (10,485,760 bytes)", "1,000 bytes".</summary>
    public static string Size(long bytes)
    {
        foreach (var (unitBytes, unit) in SizeUnits)
        {
            if (bytes >= unitBytes && bytes % unitBytes == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{bytes / unitBytes:N0} {unit} ({bytes:N0} bytes)");
            }
        }

        return Count(bytes, "byte");
    }

    /// <summary>A duration: "5 minutes", "90 seconds", "1 hour", "1,500 milliseconds".</summary>
    public static string Duration(TimeSpan duration)
    {
        foreach (var (length, unit) in DurationUnits)
        {
            if (duration >= length && duration.Ticks % length.Ticks == 0)
            {
                return Count(duration.Ticks / length.Ticks, unit);
            }
        }

        return Count((long)Math.Ceiling(duration.TotalMilliseconds), "millisecond");
    }

    private static string Count(long count, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {unit}{(count == 1 ? string.Empty : "s")}");
}
