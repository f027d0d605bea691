using VaeSweep.Contracts;

namespace VaeSweep.Grains;

/// <summary>
/// A trial's events in order, kept until the client has stored them. The training thread adds; the grain
/// peeks and removes once a delivery returned. Only the newest undelivered checkpoint is kept: the client
/// stores only the latest one anyway, and a client away for long must not cost a silo 8 MB per epoch.
/// </summary>
internal sealed class EventOutbox
{
    private readonly Lock gate = new();
    private readonly LinkedList<TrialEvent> pending = new();

    public int Count
    {
        get { lock (gate) return pending.Count; }
    }

    public void Add(TrialEvent e)
    {
        lock (gate)
        {
            if (e is CheckpointSaved)
                // The head may be in delivery right now; never drop it from under the sender.
                for (var node = pending.First?.Next; node is not null;)
                {
                    var next = node.Next;
                    if (node.Value is CheckpointSaved) pending.Remove(node);
                    node = next;
                }

            pending.AddLast(e);
        }
    }

    public bool TryPeek(out TrialEvent e)
    {
        lock (gate)
        {
            e = pending.First?.Value!;
            return pending.First is not null;
        }
    }

    /// <summary>Removes <paramref name="delivered"/> if it is still the head.</summary>
    public void Remove(TrialEvent delivered)
    {
        lock (gate)
            if (ReferenceEquals(pending.First?.Value, delivered)) pending.RemoveFirst();
    }
}
