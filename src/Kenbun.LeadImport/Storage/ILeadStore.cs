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
}
