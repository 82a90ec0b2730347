namespace Kenbun.LeadImport.Start;

/// <summary>
/// Writes the path of a part of a start request as its errors are keyed (CONTRACT §3): <c>alias_mappings.Phone</c>, or
/// <c>alias_mappings['Tel. (mobile)']</c> when the key holds characters other than letters, digits, <c>_</c>, <c>-</c>
/// and spaces.
/// </summary>
public static class RequestPath
{
    /// <summary>The path of <paramref name="key"/> inside the object at <paramref name="parent"/>.</summary>
    public static string Member(string parent, string key)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(key);
        var plain = key.Length > 0 && key.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or ' ');
        return plain ? $"{parent}.{key}" : $"{parent}['{key.Replace("'", "\\'", StringComparison.Ordinal)}']";
    }
}
