namespace VaeSweep.Silo.Broker;

/// <summary>
/// What a silo has been told to stop, remembered so that work dequeued later is dropped too: attempts
/// (by sweep, trial and attempt) and whole sweeps. Bounded: the oldest attempt entries go first.
/// Thread-safe.
/// </summary>
internal sealed class CancellationLedger
{
    private const int Capacity = 10_000;

    private readonly Lock gate = new();
    private readonly HashSet<AttemptKey> attempts = [];
    private readonly Queue<AttemptKey> order = new();
    private readonly HashSet<string> sweeps = new(StringComparer.Ordinal);

    public void CancelAttempt(AttemptKey attempt)
    {
        lock (gate)
        {
            if (!attempts.Add(attempt)) return;
            order.Enqueue(attempt);
            while (order.Count > Capacity) attempts.Remove(order.Dequeue());
        }
    }

    public void CancelSweep(string sweep)
    {
        lock (gate) sweeps.Add(sweep);
    }

    public void ResumeSweep(string sweep)
    {
        lock (gate) sweeps.Remove(sweep);
    }

    public bool IsSweepCancelled(string sweep)
    {
        lock (gate) return sweeps.Contains(sweep);
    }

    public bool IsCancelled(AttemptKey attempt)
    {
        lock (gate) return attempts.Contains(attempt);
    }
}

/// <summary>One attempt of one trial of one sweep: trial ids are unique only within their sweep.</summary>
internal sealed record AttemptKey(string Sweep, string TrialId, int Attempt);
