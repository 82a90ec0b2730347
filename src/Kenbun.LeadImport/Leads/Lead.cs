using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.Leads;

/// <summary>An identifier as dedup compares it: a kind and a normalised value.</summary>
/// <param name="Kind">The kind of identifier.</param>
/// <param name="Value">The normalised value (see <see cref="IdentifierNormalizer"/>).</param>
public readonly record struct IdentifierKey(IdentifierKind Kind, string Value);

/// <summary>A lead as stored: profile fields, the identifiers it owns, and the jobs that created and last changed it.</summary>
public sealed record Lead
{
    /// <summary>The lead's id.</summary>
    public required string LeadId { get; init; }

    /// <summary>The OU the lead belongs to.</summary>
    public required string Ou { get; init; }

    /// <summary>Profile field → value, as imported (strings, unconverted).</summary>
    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    /// <summary>Every identifier the lead owns (its first primary identifier and its aliases); each is owned by one lead per OU.</summary>
    public required IReadOnlyList<IdentifierKey> Identifiers { get; init; }

    /// <summary>The job that created the lead.</summary>
    public required string CreatedByJobId { get; init; }

    /// <summary>The job that last changed the lead.</summary>
    public required string UpdatedByJobId { get; init; }
}

/// <summary>
/// What one batch does to one lead: creates it, or sets fields on it and adds identifiers to it. A change is valid
/// only during the <see cref="Storage.LeadImportStorage.CommitBatchAsync"/> call that receives it: a store copies what it keeps.
/// </summary>
public sealed class LeadChange
{
    /// <summary>Creates a change for <paramref name="leadId"/>.</summary>
    public LeadChange(string leadId, bool isNew)
    {
        LeadId = leadId;
        IsNew = isNew;
    }

    /// <summary>The lead changed; for a new lead, the id the engine chose for it.</summary>
    public string LeadId { get; private set; }

    /// <summary>Whether the lead is created by this change.</summary>
    public bool IsNew { get; private set; }

    /// <summary>Fields to set (a later row's value has replaced an earlier row's); other fields keep their values.</summary>
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>Identifiers the lead takes ownership of, in the order the rows gave them.</summary>
    public List<IdentifierKey> NewIdentifiers { get; } = [];

    /// <summary>Makes the object describe another change, keeping its collections' capacity: the engine reuses changes between batches.</summary>
    internal LeadChange Reset(string leadId, bool isNew)
    {
        LeadId = leadId;
        IsNew = isNew;
        Fields.Clear();
        NewIdentifiers.Clear();
        return this;
    }
}
