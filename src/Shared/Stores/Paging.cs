namespace Kenbun.LeadImport.Stores;

/// <summary>
/// Where a 1-based page of a list starts, for every first-party store (the in-memory ones in the core too). Computed in
/// 64 bits: in 32, a page far past the end wrapped around to an earlier one.
/// </summary>
internal static class Paging
{
    /// <summary>How many items come before <paramref name="page"/> of <paramref name="limit"/> items.</summary>
    public static long Offset(int page, int limit) => (long)(page - 1) * limit;

    /// <summary>The items on <paramref name="page"/> of <paramref name="limit"/> items.</summary>
    public static IEnumerable<T> PageOf<T>(this IEnumerable<T> items, int page, int limit) =>
        Offset(page, limit) is var skip && skip > int.MaxValue ? [] : items.Skip((int)skip).Take(limit);
}
