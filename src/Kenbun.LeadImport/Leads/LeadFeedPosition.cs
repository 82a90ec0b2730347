namespace Kenbun.LeadImport.Leads;

/// <summary>
/// A place in an OU's lead feed (<see cref="Storage.ILeadStore.ReadFeedAsync"/>): reading from it returns the leads
/// changed after it. <see langword="default"/> is the start of the feed, before every lead. Keep the
/// <see cref="LeadFeedPage.Next"/> of the last page you handled, and read on from it after a restart.
/// </summary>
/// <param name="Batch">The OU's committed batches, counted: every batch that changes leads gets the next number.</param>
/// <param name="Order">Where the lead stands among the OU's leads, in creation order, to order the leads of one batch.</param>
public readonly record struct LeadFeedPosition(long Batch, long Order)
{
    /// <summary>Whether this position comes after <paramref name="other"/> in the feed.</summary>
    public bool IsAfter(LeadFeedPosition other) => Batch > other.Batch || (Batch == other.Batch && Order > other.Order);
}
