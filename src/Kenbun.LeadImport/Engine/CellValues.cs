namespace Kenbun.LeadImport.Engine;

/// <summary>How a cell's text becomes a value: trimmed, with the spreadsheet-safety quote of an export removed.</summary>
internal static class CellValues
{
    /// <summary>The most characters of a cell an error or warning repeats.</summary>
    public const int MaxReportedLength = 256;

    /// <summary>
    /// Trims the cell and removes a leading <c>'</c> before <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c>: the failed-rows
    /// export adds it so spreadsheets show formulas as text, and a re-imported file must give the original value.
    /// </summary>
    public static ReadOnlySpan<char> Clean(ReadOnlySpan<char> cell)
    {
        var trimmed = cell.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '\'' && trimmed[1] is '=' or '+' or '-' or '@' ? trimmed[1..] : trimmed;
    }

    /// <summary>The value as an error reports it: at most 256 characters, never ending in half a surrogate pair.</summary>
    public static string Reported(string value)
    {
        if (value.Length <= MaxReportedLength)
        {
            return value;
        }

        var length = char.IsHighSurrogate(value[MaxReportedLength - 1]) ? MaxReportedLength - 1 : MaxReportedLength;
        return value[..length];
    }
}
