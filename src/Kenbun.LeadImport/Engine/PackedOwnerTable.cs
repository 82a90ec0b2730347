using System.Runtime.InteropServices;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Engine;

/// <summary>
/// Identifiers and the ids of their owners kept as characters in large blocks, with a hash table of positions in
/// them: nothing in it refers to an object, so the garbage collector has nothing to trace however much it holds. A dry
/// run keeps every identifier its file gives; held as strings in a dictionary, every collection traced them (a
/// 1,000,000-row dry run paused 0.55–0.7 s of its 2.5–3.2 s for collections; packed, 0.28–0.33 s of 1.6–2.0 s). Removed
/// entries leave their characters behind: removals only undo a batch, which is rare.
/// </summary>
internal sealed class PackedOwnerTable : IOwnerTable
{
    private readonly int _blockLength;
    private readonly List<char[]> _blocks = [];
    private readonly Dictionary<PackedIdentifier, PackedText>.AlternateLookup<IdentifierKey> _byIdentifier;
    private int _blockUsed;
    private string? _lastOwner;
    private PackedText _lastOwnerText;

    /// <param name="capacity">How many identifiers to make room for at once.</param>
    /// <param name="blockLength">The characters a block holds (a longer text gets a block of its own).</param>
    public PackedOwnerTable(int capacity, int blockLength = 1 << 20)
    {
        _blockLength = blockLength;
        _byIdentifier = new Dictionary<PackedIdentifier, PackedText>(capacity, new Comparer(this)).GetAlternateLookup<IdentifierKey>();
    }

    public int Count => _byIdentifier.Dictionary.Count;

    public bool TryGetOwner(IdentifierKey identifier, out string leadId)
    {
        if (_byIdentifier.TryGetValue(identifier, out var owner))
        {
            leadId = new string(Text(owner));
            return true;
        }

        leadId = null!;
        return false;
    }

    /// <summary>Records <paramref name="leadId"/> as the owner of <paramref name="identifier"/>, which has none yet.</summary>
    public void Add(IdentifierKey identifier, string leadId)
    {
        ArgumentNullException.ThrowIfNull(identifier.Value);
        ArgumentNullException.ThrowIfNull(leadId);
        ref var owner = ref CollectionsMarshal.GetValueRefOrAddDefault(_byIdentifier, identifier, out var exists);
        if (exists)
        {
            throw new ArgumentException("The identifier has an owner already.", nameof(identifier));
        }

        // The identifiers a row gives its lead are added one after another with the same id: it is kept once for them.
        if (!ReferenceEquals(leadId, _lastOwner))
        {
            _lastOwnerText = Pack(leadId);
            _lastOwner = leadId;
        }

        owner = _lastOwnerText;
    }

    public void Remove(IdentifierKey identifier) => _byIdentifier.Remove(identifier);

    private ReadOnlySpan<char> Text(PackedText text) => _blocks[text.Block].AsSpan(text.Start, text.Length);

    private PackedText Pack(ReadOnlySpan<char> text)
    {
        if (_blocks.Count == 0 || _blockUsed + text.Length > _blocks[^1].Length)
        {
            _blocks.Add(new char[Math.Max(_blockLength, text.Length)]);
            _blockUsed = 0;
        }

        text.CopyTo(_blocks[^1].AsSpan(_blockUsed));
        var packed = new PackedText(_blocks.Count - 1, _blockUsed, text.Length);
        _blockUsed += text.Length;
        return packed;
    }

    /// <summary>Where a text is kept: a block and a range of it.</summary>
    [StructLayout(LayoutKind.Auto)]
    private readonly record struct PackedText(int Block, int Start, int Length);

    [StructLayout(LayoutKind.Auto)]
    private readonly record struct PackedIdentifier(IdentifierKind Kind, PackedText Value);

    /// <summary>Compares kept identifiers by their characters, and finds them by an <see cref="IdentifierKey"/>, which it packs only to add it.</summary>
    private sealed class Comparer(PackedOwnerTable table) : IEqualityComparer<PackedIdentifier>, IAlternateEqualityComparer<IdentifierKey, PackedIdentifier>
    {
        public bool Equals(PackedIdentifier x, PackedIdentifier y) =>
            x.Kind == y.Kind && table.Text(x.Value).SequenceEqual(table.Text(y.Value));

        public int GetHashCode(PackedIdentifier identifier) => Hash(identifier.Kind, table.Text(identifier.Value));

        public bool Equals(IdentifierKey alternate, PackedIdentifier other) =>
            alternate.Kind == other.Kind && alternate.Value.AsSpan().SequenceEqual(table.Text(other.Value));

        public int GetHashCode(IdentifierKey alternate) => Hash(alternate.Kind, alternate.Value);

        public PackedIdentifier Create(IdentifierKey alternate) => new(alternate.Kind, table.Pack(alternate.Value));

        private static int Hash(IdentifierKind kind, ReadOnlySpan<char> value) => HashCode.Combine(kind, string.GetHashCode(value, StringComparison.Ordinal));
    }
}
