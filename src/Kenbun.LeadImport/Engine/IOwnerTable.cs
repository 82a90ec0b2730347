using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Engine;

/// <summary>Which lead owns each identifier an <see cref="OwnershipOverlay"/> holds.</summary>
internal interface IOwnerTable
{
    int Count { get; }

    bool TryGetOwner(IdentifierKey identifier, out string leadId);

    /// <summary>Records <paramref name="leadId"/> as the owner of <paramref name="identifier"/>, which has none yet.</summary>
    void Add(IdentifierKey identifier, string leadId);

    void Remove(IdentifierKey identifier);
}

/// <summary>An <see cref="IOwnerTable"/> in a dictionary: for the few batches a real import's overlay holds at once.</summary>
internal sealed class OwnerDictionary : IOwnerTable
{
    private readonly Dictionary<IdentifierKey, string> _owners = [];

    public int Count => _owners.Count;

    public bool TryGetOwner(IdentifierKey identifier, out string leadId) => _owners.TryGetValue(identifier, out leadId!);

    public void Add(IdentifierKey identifier, string leadId) => _owners.Add(identifier, leadId);

    public void Remove(IdentifierKey identifier) => _owners.Remove(identifier);
}
