namespace Kenbun.LeadImport.Jobs;

/// <summary>
/// A running job waiting out unavailable storage (CONTRACT §6): it fails nothing and goes on by itself, exactly where it
/// was, once the store answers again. Shown as <c>stalled_since</c> and <c>stalled_reason</c>.
/// </summary>
/// <param name="Since">When the first storage call of the stall failed.</param>
/// <param name="Reason">What is wrong with the store, for people (never an exception type or user data).</param>
public sealed record JobStall(DateTimeOffset Since, string Reason);
