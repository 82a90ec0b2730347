namespace Kenbun.LeadImport.Storage;

/// <summary>One page of a list.</summary>
/// <typeparam name="T">The items.</typeparam>
/// <param name="Items">The items on the page.</param>
/// <param name="Total">How many items there are on all pages.</param>
/// <param name="PageNumber">The 1-based page number.</param>
/// <param name="Limit">The most items on a page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int PageNumber, int Limit);
