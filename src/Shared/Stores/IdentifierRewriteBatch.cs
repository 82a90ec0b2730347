using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Stores;

/// <summary>
/// One batch of an <see cref="IdentifierRewrite"/>, inside the caller's transaction: the identifiers after the
/// version's recorded position, in the order they were stored, each given its new value; two leads that then claim one
/// value leave it to the older lead. Leads that changed get their OU's next feed batch. The rule lives here; each store
/// says how its tables do each step.
/// </summary>
/// <typeparam name="TOuKey">How the store names an OU in its lead tables (SQLite: a small integer; PostgreSQL: the OU itself).</typeparam>
internal abstract class IdentifierRewriteBatch<TOuKey>(IdentifierRewrite rewrite)
    where TOuKey : notnull
{
    private readonly List<IdentifierRewriteConflict> _conflicts = [];
    private readonly Dictionary<TOuKey, HashSet<string>> _changedLeads = [];
    private int _rewritten;

    /// <summary>The rewrite this batch runs.</summary>
    protected IdentifierRewrite Rewrite => rewrite;

    public async Task<IdentifierRewriteProgress> RunAsync(int batchSize)
    {
        if (await ReadPositionAsync().ConfigureAwait(false) is not { } position)
        {
            return new IdentifierRewriteProgress(true, 0, []);
        }

        var rows = await ReadRowsAsync(position, batchSize).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await RewriteAsync(row).ConfigureAwait(false);
        }

        foreach (var (ou, leads) in _changedLeads)
        {
            await MoveToNextFeedBatchAsync(ou, leads).ConfigureAwait(false);
        }

        var done = rows.Count < batchSize;
        await SavePositionAsync(rows.Count > 0 ? rows[^1].Seq : position, done).ConfigureAwait(false);
        return new IdentifierRewriteProgress(done, _rewritten, _conflicts);
    }

    /// <summary>How far the version got (its record created, and locked where the store locks rows), or null when it is done.</summary>
    protected abstract Task<long?> ReadPositionAsync();

    /// <summary>Up to <paramref name="batchSize"/> stored identifiers after <paramref name="position"/>, in the order they were stored.</summary>
    protected abstract Task<List<Row>> ReadRowsAsync(long position, int batchSize);

    /// <summary>The lead of the OU that owns <paramref name="identifier"/>, or null.</summary>
    protected abstract Task<string?> OwnerAsync(TOuKey ou, IdentifierKey identifier);

    /// <summary>Gives the stored identifier of <paramref name="row"/> its new value.</summary>
    protected abstract Task RenameAsync(Row row, string value);

    /// <summary>Deletes the stored identifier of <paramref name="row"/>.</summary>
    protected abstract Task DeleteAsync(Row row);

    /// <summary>Whether <paramref name="leadId"/> was created before <paramref name="otherLeadId"/>.</summary>
    protected abstract Task<bool> IsOlderAsync(TOuKey ou, string leadId, string otherLeadId);

    /// <summary>Gives the OU's <paramref name="identifier"/> to <paramref name="leadId"/>.</summary>
    protected abstract Task GiveAsync(TOuKey ou, IdentifierKey identifier, string leadId);

    /// <summary>Puts <paramref name="leadIds"/> at their OU's next feed batch, so the feed shows the change.</summary>
    protected abstract Task MoveToNextFeedBatchAsync(TOuKey ou, IReadOnlyCollection<string> leadIds);

    /// <summary>Records how far the version got, in the same transaction.</summary>
    protected abstract Task SavePositionAsync(long position, bool done);

    private async Task RewriteAsync(Row row)
    {
        if (rewrite.Rewrite(row.Identifier) is not { } value || value == row.Identifier.Value)
        {
            return;
        }

        _rewritten++;
        var renamed = row.Identifier with { Value = value };
        Changed(row.OuKey, row.LeadId);
        if (await OwnerAsync(row.OuKey, renamed).ConfigureAwait(false) is not { } owner)
        {
            await RenameAsync(row, value).ConfigureAwait(false);
            return;
        }

        await DeleteAsync(row).ConfigureAwait(false);
        if (owner == row.LeadId)
        {
            return; // the lead had the new value already
        }

        Changed(row.OuKey, owner);
        var ownerIsOlder = await IsOlderAsync(row.OuKey, owner, row.LeadId).ConfigureAwait(false);
        if (!ownerIsOlder)
        {
            await GiveAsync(row.OuKey, renamed, row.LeadId).ConfigureAwait(false);
        }

        var (kept, lost) = ownerIsOlder ? (owner, row.LeadId) : (row.LeadId, owner);
        _conflicts.Add(new IdentifierRewriteConflict(row.Ou, renamed, kept, lost));
    }

    private void Changed(TOuKey ou, string leadId)
    {
        if (!_changedLeads.TryGetValue(ou, out var leads))
        {
            _changedLeads.Add(ou, leads = new HashSet<string>(StringComparer.Ordinal));
        }

        leads.Add(leadId);
    }

    /// <summary>A stored identifier: its place in the order identifiers were stored, its OU (by key and by name) and its lead.</summary>
    internal sealed record Row(long Seq, TOuKey OuKey, string Ou, IdentifierKey Identifier, string LeadId);
}
