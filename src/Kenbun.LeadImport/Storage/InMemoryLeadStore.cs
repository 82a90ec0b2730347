using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// An <see cref="ILeadStore"/> in process memory, committing checkpoints into an <see cref="InMemoryJobStore"/>:
/// for tests and prototypes. Not durable — leads are lost when the process ends.
/// </summary>
public sealed class InMemoryLeadStore(InMemoryJobStore jobs) : ILeadStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Ou, IdentifierKey Identifier), string> _owners = [];
    private readonly Dictionary<(string Ou, string LeadId), StoredLead> _leads = [];
    private readonly Dictionary<string, List<StoredLead>> _leadsByOu = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask LookupAsync(string ou, IReadOnlyCollection<IdentifierKey> identifiers, IDictionary<IdentifierKey, string> owners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        ArgumentNullException.ThrowIfNull(owners);
        lock (_lock)
        {
            foreach (var identifier in identifiers)
            {
                if (_owners.TryGetValue((ou, identifier), out var leadId))
                {
                    owners[identifier] = leadId;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<BatchCommitResult> CommitBatchAsync(
        string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(checkpoint);
        return ValueTask.FromResult(jobs.Commit(ou, jobId, checkpoint, () => Apply(ou, jobId, changes)));
    }

    /// <inheritdoc />
    public ValueTask<Lead?> FindAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_owners.TryGetValue((ou, identifier), out var leadId) ? _leads[(ou, leadId)].Snapshot() : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<Page<Lead>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var leads = _leadsByOu.GetValueOrDefault(ou) ?? [];
            var items = leads.Skip((page - 1) * limit).Take(limit).Select(l => l.Snapshot()).ToList();
            return ValueTask.FromResult(new Page<Lead>(items, leads.Count, page, limit));
        }
    }

    /// <summary>Puts a lead in the store directly, as if an earlier job had imported it: for tests that need existing leads.</summary>
    internal void Seed(string ou, string leadId, IReadOnlyDictionary<string, string> fields, IEnumerable<IdentifierKey> identifiers, string jobId)
    {
        var change = new LeadChange(leadId, isNew: true);
        foreach (var (field, value) in fields)
        {
            change.Fields[field] = value;
        }

        change.NewIdentifiers.AddRange(identifiers);
        if (Apply(ou, jobId, [change]).Status != BatchCommitStatus.Committed)
        {
            throw new InvalidOperationException("A seeded identifier is owned by another lead.");
        }
    }

    private BatchCommitResult Apply(string ou, string jobId, IReadOnlyCollection<LeadChange> changes)
    {
        lock (_lock)
        {
            var conflicts = new List<IdentifierKey>();
            foreach (var change in changes)
            {
                foreach (var identifier in change.NewIdentifiers)
                {
                    if (_owners.TryGetValue((ou, identifier), out var owner) && owner != change.LeadId)
                    {
                        conflicts.Add(identifier);
                    }
                }
            }

            if (conflicts.Count > 0)
            {
                return new BatchCommitResult(BatchCommitStatus.Conflict, conflicts, false);
            }

            foreach (var change in changes)
            {
                if (!_leads.TryGetValue((ou, change.LeadId), out var lead))
                {
                    lead = new StoredLead(change.LeadId, ou, jobId);
                    _leads.Add((ou, change.LeadId), lead);
                    LeadsOf(ou).Add(lead);
                }

                foreach (var (field, value) in change.Fields)
                {
                    lead.Fields[field] = value;
                }

                foreach (var identifier in change.NewIdentifiers)
                {
                    if (_owners.TryAdd((ou, identifier), lead.LeadId))
                    {
                        lead.Identifiers.Add(identifier);
                    }
                }

                lead.UpdatedByJobId = jobId;
            }

            return BatchCommitResult.Committed(false);
        }
    }

    private List<StoredLead> LeadsOf(string ou)
    {
        if (!_leadsByOu.TryGetValue(ou, out var leads))
        {
            leads = [];
            _leadsByOu.Add(ou, leads);
        }

        return leads;
    }

    private sealed class StoredLead(string leadId, string ou, string createdBy)
    {
        public string LeadId { get; } = leadId;

        public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

        public List<IdentifierKey> Identifiers { get; } = [];

        public string CreatedByJobId { get; } = createdBy;

        public string UpdatedByJobId { get; set; } = createdBy;

        public Lead Snapshot() => new()
        {
            LeadId = LeadId,
            Ou = ou,
            Fields = new Dictionary<string, string>(Fields, StringComparer.Ordinal),
            Identifiers = [.. Identifiers],
            CreatedByJobId = CreatedByJobId,
            UpdatedByJobId = UpdatedByJobId,
        };
    }
}
