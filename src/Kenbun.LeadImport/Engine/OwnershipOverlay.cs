using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Engine;

/// <summary>
/// The identifiers this job has given to leads that a look-up may not show yet: a batch's look-up can run while
/// earlier batches are still being committed. An identifier, once owned, never changes owner, so the overlay is
/// the truth for what it holds. Entries are forgotten once every later look-up began after their batch committed,
/// which keeps the overlay to a few batches (a dry run commits no leads, so its overlay keeps everything).
/// </summary>
internal sealed class OwnershipOverlay
{
    private readonly Dictionary<IdentifierKey, string> _owners = [];
    private readonly Queue<(long Sequence, List<IdentifierKey> Identifiers)> _batches = new();
    private readonly Stack<List<IdentifierKey>> _spareLists = new();
    private List<IdentifierKey> _current = [];
    private long _currentSequence;

    public int Count => _owners.Count;

    public bool TryGetOwner(IdentifierKey identifier, out string leadId) => _owners.TryGetValue(identifier, out leadId!);

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

    public void End() => _batches.Enqueue((_currentSequence, _current));
}
