using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Stores;

namespace Kenbun.LeadImport.Storage;

/// <summary>The leads of an <see cref="InMemoryStorage"/>. Not durable — leads are lost when the process ends.</summary>
internal sealed class InMemoryLeadStore : ILeadStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly HashSet<int> _finishedRewrites = [];

    /// <inheritdoc />
    public ValueTask LookupAsync(string ou, IReadOnlyCollection<IdentifierKey> identifiers, IDictionary<IdentifierKey, string> owners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        ArgumentNullException.ThrowIfNull(owners);
        lock (_lock)
        {
            if (_partitions.TryGetValue(ou, out var partition))
            {
                foreach (var identifier in identifiers)
                {
                    if (partition.Owners.TryGetValue(identifier, out var lead))
                    {
                        owners[identifier] = lead.LeadId;
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<Lead?> FindAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(
                _partitions.TryGetValue(ou, out var partition) && partition.Owners.TryGetValue(identifier, out var lead) ? lead.Snapshot(ou) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<Page<Lead>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var leads = _partitions.TryGetValue(ou, out var partition) ? partition.InOrder : [];
            var items = leads.PageOf(page, limit).Select(l => l.Snapshot(ou)).ToList();
            return ValueTask.FromResult(new Page<Lead>(items, leads.Count, page, limit));
        }
    }

    /// <inheritdoc />
    public ValueTask<LeadFeedPage> ReadFeedAsync(string ou, LeadFeedPosition after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            List<StoredLead> changed = _partitions.TryGetValue(ou, out var partition)
                ? [.. partition.InOrder.Where(l => l.FeedPosition.IsAfter(after)).OrderBy(l => l.FeedPosition.Batch).ThenBy(l => l.FeedPosition.Order).Take(limit)]
                : [];
            return ValueTask.FromResult(new LeadFeedPage([.. changed.Select(l => l.Snapshot(ou))], changed.Count > 0 ? changed[^1].FeedPosition : after));
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

    /// <summary>Applies a batch's lead changes, all or none: none when an identifier is another lead's.</summary>
    internal BatchCommitResult Apply(string ou, string jobId, IReadOnlyCollection<LeadChange> changes)
    {
        lock (_lock)
        {
            if (!_partitions.TryGetValue(ou, out var partition))
            {
                _partitions.Add(ou, partition = new Partition());
            }

            if (changes.FirstOrDefault(c => !c.IsNew && !partition.Leads.ContainsKey(c.LeadId) && !partition.Forgotten.Contains(c.LeadId)) is { } orphan)
            {
                throw new InvalidOperationException($"The batch changes lead {orphan.LeadId}, which does not exist in its OU.");
            }

            var conflicts = new List<IdentifierKey>();
            foreach (var change in changes)
            {
                if (partition.Forgotten.Contains(change.LeadId))
                {
                    continue;
                }

                foreach (var identifier in change.NewIdentifiers)
                {
                    if (partition.Owners.TryGetValue(identifier, out var owner) && owner.LeadId != change.LeadId)
                    {
                        conflicts.Add(identifier);
                    }
                }
            }

            if (conflicts.Count > 0)
            {
                return new BatchCommitResult(BatchCommitStatus.Conflict, conflicts, false);
            }

            var feedBatch = changes.Count > 0 ? ++partition.FeedBatches : 0;
            foreach (var change in changes)
            {
                if (partition.Forgotten.Contains(change.LeadId))
                {
                    continue; // decided before the lead was forgotten: it stays forgotten
                }

                if (!partition.Leads.TryGetValue(change.LeadId, out var lead))
                {
                    lead = new StoredLead(change.LeadId, jobId, ++partition.LeadsCreated);
                    partition.Leads.Add(change.LeadId, lead);
                    partition.InOrder.Add(lead);
                }

                lead.FeedPosition = lead.FeedPosition with { Batch = feedBatch };

                foreach (var (field, value) in change.Fields)
                {
                    lead.SetField(field, value);
                }

                foreach (var identifier in change.NewIdentifiers)
                {
                    if (partition.Owners.TryAdd(identifier, lead))
                    {
                        lead.Identifiers.Add(identifier);
                    }
                }

                lead.UpdatedByJobId = jobId;
            }

            return BatchCommitResult.Committed(false);
        }
    }

    /// <summary>Deletes the lead that owns <paramref name="identifier"/> in the OU with all its identifiers; returns them, or null when no lead owns it.</summary>
    internal (string LeadId, IReadOnlyList<IdentifierKey> Identifiers)? Forget(string ou, IdentifierKey identifier)
    {
        lock (_lock)
        {
            if (!_partitions.TryGetValue(ou, out var partition) || !partition.Owners.TryGetValue(identifier, out var lead))
            {
                return null;
            }

            foreach (var owned in lead.Identifiers)
            {
                partition.Owners.Remove(owned);
            }

            partition.Leads.Remove(lead.LeadId);
            partition.InOrder.Remove(lead);
            partition.Forgotten.Add(lead.LeadId);
            return (lead.LeadId, [.. lead.Identifiers]);
        }
    }

    /// <summary>
    /// Deletes every lead and identifier of the OU, and its forgotten leads' ids, since no job of the OU is left to send
    /// changes to them; its feed and creation counters stay, so feed positions never repeat.
    /// </summary>
    internal (long Leads, long Identifiers) DeleteOu(string ou)
    {
        lock (_lock)
        {
            if (!_partitions.TryGetValue(ou, out var partition))
            {
                return (0, 0);
            }

            var deleted = (partition.Leads.Count, partition.Owners.Count);
            partition.Leads.Clear();
            partition.Owners.Clear();
            partition.InOrder.Clear();
            partition.Forgotten.Clear();
            return deleted;
        }
    }

    /// <summary>Runs a whole identifier rewrite at once: memory holds no more than it can rewrite in one go.</summary>
    internal IdentifierRewriteProgress Rewrite(IdentifierRewrite rewrite)
    {
        lock (_lock)
        {
            if (!_finishedRewrites.Add(rewrite.Version))
            {
                return new IdentifierRewriteProgress(true, 0, []);
            }

            var rewritten = 0;
            var conflicts = new List<IdentifierRewriteConflict>();
            foreach (var (ou, partition) in _partitions)
            {
                var changed = new HashSet<StoredLead>();
                foreach (var lead in partition.InOrder)
                {
                    foreach (var identifier in lead.Identifiers.ToList())
                    {
                        if (rewrite.Rewrite(identifier) is not { } value || value == identifier.Value)
                        {
                            continue;
                        }

                        rewritten++;
                        var renamed = identifier with { Value = value };
                        partition.Owners.Remove(identifier);
                        lead.Identifiers.Remove(identifier);
                        changed.Add(lead);
                        if (!partition.Owners.TryGetValue(renamed, out var owner))
                        {
                            partition.Owners.Add(renamed, lead);
                            lead.Identifiers.Add(renamed);
                        }
                        else if (owner != lead)
                        {
                            var (older, younger) = owner.FeedPosition.Order < lead.FeedPosition.Order ? (owner, lead) : (lead, owner);
                            younger.Identifiers.Remove(renamed);
                            older.Identifiers.Remove(renamed);
                            older.Identifiers.Add(renamed);
                            partition.Owners[renamed] = older;
                            changed.Add(owner);
                            conflicts.Add(new IdentifierRewriteConflict(ou, renamed, older.LeadId, younger.LeadId));
                        }
                    }
                }

                if (changed.Count > 0)
                {
                    var feedBatch = ++partition.FeedBatches;
                    foreach (var lead in changed)
                    {
                        lead.FeedPosition = lead.FeedPosition with { Batch = feedBatch };
                    }
                }
            }

            return new IdentifierRewriteProgress(true, rewritten, conflicts);
        }
    }

    /// <summary>One OU's leads: identifiers are unique within it, and no call crosses it.</summary>
    private sealed class Partition
    {
        public Dictionary<IdentifierKey, StoredLead> Owners { get; } = [];

        public Dictionary<string, StoredLead> Leads { get; } = new(StringComparer.Ordinal);

        public List<StoredLead> InOrder { get; } = [];

        /// <summary>
        /// The ids of forgotten leads. A job running when a lead was forgotten may still send changes to it, decided on an
        /// earlier look-up: those are dropped, where a change to a lead that never existed is a bug and fails.
        /// </summary>
        public HashSet<string> Forgotten { get; } = new(StringComparer.Ordinal);

        /// <summary>The batches that changed the OU's leads, counted.</summary>
        public long FeedBatches { get; set; }

        /// <summary>The leads ever created in the OU, counted: a new lead's place in creation order, never reused after a delete.</summary>
        public long LeadsCreated { get; set; }
    }

    private sealed class StoredLead(string leadId, string createdBy, long order)
    {
        // A lead has a handful of fields: a small list is cheaper to keep than a dictionary per lead.
        private readonly List<KeyValuePair<string, string>> _fields = [];

        public string LeadId { get; } = leadId;

        public string CreatedByJobId { get; } = createdBy;

        public string UpdatedByJobId { get; set; } = createdBy;

        public LeadFeedPosition FeedPosition { get; set; } = new(0, order);

        public List<IdentifierKey> Identifiers { get; } = new(2);

        public void SetField(string field, string value)
        {
            for (var i = 0; i < _fields.Count; i++)
            {
                if (_fields[i].Key == field)
                {
                    _fields[i] = new(field, value);
                    return;
                }
            }

            _fields.Add(new(field, value));
        }

        public Lead Snapshot(string ou) => new()
        {
            LeadId = LeadId,
            Ou = ou,
            Fields = _fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal),
            Identifiers = [.. Identifiers],
            CreatedByJobId = CreatedByJobId,
            UpdatedByJobId = UpdatedByJobId,
        };
    }
}
