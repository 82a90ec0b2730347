using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// The leads face of a <see cref="LeadImportStorage"/>: leads and their identifiers. The engine looks identifiers up
/// once per batch, never per row, and commits through <see cref="LeadImportStorage.CommitBatchAsync"/>, which writes the
/// job's checkpoint with the leads. Every call is scoped by OU.
/// </summary>
public interface ILeadStore
{
    /// <summary>
    /// Finds which lead owns each of <paramref name="identifiers"/> in one round trip and adds
    /// <c>identifier → lead id</c> to <paramref name="owners"/> for those that are owned.
    /// </summary>
    ValueTask LookupAsync(string ou, IReadOnlyCollection<IdentifierKey> identifiers, IDictionary<IdentifierKey, string> owners, CancellationToken cancellationToken);

    /// <summary>Finds a lead by one of its identifiers.</summary>
    ValueTask<Lead?> FindAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken);

    /// <summary>Lists an OU's leads in creation order, a page at a time.</summary>
    ValueTask<Page<Lead>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the OU's lead feed: up to <paramref name="limit"/> leads whose last change comes after
    /// <paramref name="after"/>, in the order the changes were committed, each as it is now and once, at its last
    /// change. Every committed batch that changes leads gets the OU's next batch number, so a reader that keeps
    /// <see cref="LeadFeedPage.Next"/> and reads on from it sees every change, at least once, in order — the way to
    /// copy imported leads into a host's own tables or search index. Dry runs change no lead and do not appear.
    /// </summary>
    ValueTask<LeadFeedPage> ReadFeedAsync(string ou, LeadFeedPosition after, int limit, CancellationToken cancellationToken);
}
