using System.Globalization;

namespace Kenbun.LeadImport;

/// <summary>
/// Sizes and durations as messages to users say them, whatever a host configured: "10 MB", "500 KB", "90 seconds".
/// Compiled into the core and the HTTP package, whose messages both name configured limits.
/// </summary>
internal static class MessageAmounts
{
    /// <summary>A size in the largest unit it holds at least one of, with its exact bytes when that unit is not bytes: "10 MB (10,485,760 bytes)".</summary>
    public static string Size(long bytes)
    {
        var (amount, unit) = bytes switch
        {
            >= 1024 * 1024 => (bytes / (1024.0 * 1024.0), "MB"),
            >= 1024 => (bytes / 1024.0, "KB"),
            _ => (0.0, null),
        };
        return unit is null
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes")
            : string.Create(CultureInfo.InvariantCulture, $"{amount:0.##} {unit} ({bytes:N0} bytes)");
    }

    /// <summary>A duration in the largest unit it holds at least one of: "5 minutes", "1 hour", "2.5 hours", "1 second".</summary>
    public static string Duration(TimeSpan duration)
    {
        var (amount, unit) = duration switch
        {
            { TotalDays: >= 1 } => (duration.TotalDays, "day"),
            { TotalHours: >= 1 } => (duration.TotalHours, "hour"),
            { TotalMinutes: >= 1 } => (duration.TotalMinutes, "minute"),
            _ => (duration.TotalSeconds, "second"),
        };
        var rounded = Math.Round(amount, 1);
        return string.Create(CultureInfo.InvariantCulture, $"{rounded:0.#} {unit}{(rounded == 1 ? string.Empty : "s")}");
    }
}
