using System.Globalization;
using System.Text.RegularExpressions;

namespace Kenbun.LeadImport.Identifiers;

/// <summary>
/// Values made of phone characters that are something else: a date, a time, a decimal number or a coordinate
/// (<c>1957-03-04</c>, <c>04.03.1957</c>, <c>10:30</c>, <c>12.345,67</c>, <c>-122.4194</c>, <c>37.7749 -122.4194</c>).
/// The phone rule asks this first, so preview detection and import validation agree that none of them is a phone.
/// </summary>
internal static partial class PhoneLookalikes
{
    /// <summary>Whether the trimmed <paramref name="value"/> reads as a date, a time, a decimal number or a coordinate pair.</summary>
    public static bool Matches(ReadOnlySpan<char> value) =>
        value.Length > 0 && (char.IsAsciiDigit(value[0]) || value[0] is '+' or '-') && (IsDecimal(value) || IsDate(value) || Time().IsMatch(value) || CoordinatePair().IsMatch(value));

    private static bool IsDecimal(ReadOnlySpan<char> value) =>
        Decimal().IsMatch(value) && !TrunkPrefixed().IsMatch(value);

    private static bool IsDate(ReadOnlySpan<char> value)
    {
        // Most values are no date: the patterns are first tried on the span, which makes no string.
        if (!YearFirstDate().IsMatch(value) && !YearLastDate().IsMatch(value))
        {
            return false;
        }

        var text = value.ToString();
        var match = YearFirstDate().Match(text);
        if (match.Success)
        {
            return IsMonth(match.Groups["a"].Value) && IsDay(match.Groups["b"].Value);
        }

        match = YearLastDate().Match(text);
        if (!match.Success)
        {
            return false;
        }

        // Day first (04.03.1957) or month first (03/04/1957): either reading makes it a date.
        var (a, b) = (match.Groups["a"].Value, match.Groups["b"].Value);
        return (IsDay(a) && IsMonth(b)) || (IsMonth(a) && IsDay(b));
    }

    private static bool IsMonth(string digits) => int.Parse(digits, CultureInfo.InvariantCulture) is >= 1 and <= 12;

    private static bool IsDay(string digits) => int.Parse(digits, CultureInfo.InvariantCulture) is >= 1 and <= 31;

    /// <summary>
    /// A signed or unsigned number with one decimal separator (<c>-122.4194</c>, <c>3,5</c>), or grouped in thousands with
    /// a decimal part after the other separator (<c>12.345,67</c>, <c>1,234.5</c>), or grouped with commas (<c>1,234,567</c>).
    /// </summary>
    [GeneratedRegex(@"^[+-]?(?:[0-9]+[.,][0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Decimal();

    /// <summary>A national number written with a dot after its trunk prefix (<c>0171.2345678</c>): a phone, not a decimal.</summary>
    [GeneratedRegex(@"^0[0-9]+\.[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex TrunkPrefixed();

    /// <summary>Year, month, day with one separator (<c>1957-03-04</c>, <c>1957/3/4</c>), a time of day may follow.</summary>
    [GeneratedRegex(@"^[0-9]{4}(?<sep>[-./])(?<a>[0-9]{1,2})\k<sep>(?<b>[0-9]{1,2})(?:[T ][0-9]{1,2}:[0-9]{2}.*)?\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex YearFirstDate();

    /// <summary>Day and month in either order, then a year of two or four digits (<c>04.03.1957</c>, <c>3/4/57</c>), a time of day may follow.</summary>
    [GeneratedRegex(@"^(?<a>[0-9]{1,2})(?<sep>[-./])(?<b>[0-9]{1,2})\k<sep>(?:[0-9]{2}|[0-9]{4})(?:[T ,]+[0-9]{1,2}:[0-9]{2}.*)?\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex YearLastDate();

    /// <summary>A time of day: <c>10:30</c>, <c>10:30:15.250</c>, <c>9:05 pm</c>, <c>10:30Z</c>, <c>10:30+02:00</c>.</summary>
    [GeneratedRegex(@"^[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?\s*(?:[ap]\.?m\.?|z|[+-][0-9]{2}:?[0-9]{2})?\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Time();

    /// <summary>Latitude and longitude in decimal degrees, side by side: <c>37.7749 -122.4194</c>, <c>37.7749, -122.4194</c>.</summary>
    [GeneratedRegex(@"^[+-]?[0-9]{1,3}\.[0-9]+(?:\s*[,;]\s*|\s+)[+-]?[0-9]{1,3}\.[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex CoordinatePair();
}
