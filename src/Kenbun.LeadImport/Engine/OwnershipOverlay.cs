using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Engine;

/// <summary>
/// The identifiers this job has given to leads that a look-up may not show yet: a batch's look-up can run while
/// earlier batches are still being committed. An identifier, once owned, never changes owner, so the overlay is
/// the truth for what it holds. Entries are forgotten once every later look-up began after their batch committed,
/// which keeps the overlay to a few batches. A dry run commits no leads, so its overlay keeps everything: made with
/// the most identifiers the job can give, it is sized for them once, tracks no batches, and keeps them packed
/// (<see cref="PackedOwnerTable"/>).
/// </summary>
internal sealed class OwnershipOverlay
{
    private const int MaxPresized = 4_000_000;

    private readonly IOwnerTable _owners;
    private readonly bool _keepsEverything;
    private readonly Queue<(long Sequence, List<IdentifierKey> Identifiers)> _batches = new();
    private readonly Stack<List<IdentifierKey>> _spareLists = new();
    private List<IdentifierKey> _current = [];
    private long _currentSequence;

    /// <summary>An overlay that forgets batches as they commit.</summary>
    public OwnershipOverlay() => _owners = new OwnerDictionary();

    /// <summary>
    /// An overlay that keeps all it is given, sized for <paramref name="expected"/> identifiers up to
    /// <see cref="MaxPresized"/> (beyond that it grows as it fills, so a huge file costs memory only as it is read).
    /// </summary>
    public OwnershipOverlay(long expected)
    {
        _owners = new PackedOwnerTable((int)Math.Clamp(expected, 0, MaxPresized));
        _keepsEverything = true;
    }

    public int Count => _owners.Count;

    public bool TryGetOwner(IdentifierKey identifier, out string leadId) => _owners.TryGetOwner(identifier, out leadId);

    /// <summary>Forgets the batches up to <paramref name="committedThrough"/>: every look-up still to be used sees them in the store.</summary>
    public void Forget(long committedThrough)
    {
        while (_batches.TryPeek(out var batch) && batch.Sequence <= committedThrough)
        {
            _batches.Dequeue();
            foreach (var identifier in batch.Identifiers)
            {
                _owners.Remove(identifier);
            }

            batch.Identifiers.Clear();
            _spareLists.Push(batch.Identifiers);
        }
    }

    public void Begin(long sequence)
    {
        _currentSequence = sequence;
        _current = _spareLists.TryPop(out var list) ? list : [];
    }

    public void Assign(IdentifierKey identifier, string leadId)
    {
        _owners.Add(identifier, leadId);
        _current.Add(identifier);
    }

    /// <summary>Takes back what the current batch assigned, so it can be decided again.</summary>
    public void Undo()
    {
        foreach (var identifier in _current)
        {
            _owners.Remove(identifier);
        }

        _current.Clear();
    }

    public void End()
    {
        if (_keepsEverything)
        {
            _current.Clear();
            _spareLists.Push(_current);
        }
        else
        {
            _batches.Enqueue((_currentSequence, _current));
        }
    }
}
