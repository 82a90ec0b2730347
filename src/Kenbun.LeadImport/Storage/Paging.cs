namespace Kenbun.LeadImport.Storage;

/// <summary>Pages of the in-memory stores' lists.</summary>
internal static class Paging
{
    /// <summary>
    /// The items on 1-based <paramref name="page"/> of <paramref name="limit"/> items. The offset is computed in 64 bits:
    /// in 32 a page far past the end wrapped around to an earlier one.
    /// </summary>
    public static IEnumerable<T> PageOf<T>(this IEnumerable<T> items, int page, int limit)
    {
        var skip = (long)(page - 1) * limit;
        return skip > int.MaxValue ? [] : items.Skip((int)skip).Take(limit);
    }
}
