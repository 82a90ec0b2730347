namespace Kenbun.LeadImport.Leads;

/// <summary>One page of an OU's lead feed.</summary>
/// <param name="Leads">The leads changed after the position read from, each once, as it is now, in the order of their last change.</param>
/// <param name="Next">Where to read on from: after the last lead of the page (or the position read from, when the page is empty).</param>
public sealed record LeadFeedPage(IReadOnlyList<Lead> Leads, LeadFeedPosition Next);
