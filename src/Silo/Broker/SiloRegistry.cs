using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// The silos a process has heard from, by name, as of their last heartbeat. Thread-safe: heartbeats arrive
/// on the consumer's thread while readers ask from anywhere.
/// </summary>
internal sealed class SiloRegistry(TimeSpan lease)
{
    // Silos silent this many leases are dropped from memory altogether (they are long gone from Live).
    private const int ForgetAfterLeases = 10;

    private readonly Lock gate = new();
    private readonly Dictionary<string, Heard> silos = new(StringComparer.Ordinal);

    public void Record(HeartbeatMessage heartbeat, DateTimeOffset now)
    {
        lock (gate)
        {
            silos[heartbeat.Silo.Name] = new Heard(heartbeat, now);
            foreach (var (name, heard) in silos.ToList())
                if (now - heard.At > ForgetAfterLeases * lease) silos.Remove(name);
        }
    }

    /// <summary>
    /// Silos heard within the lease, as they last reported, with their running attempts narrowed to
    /// <paramref name="sweep"/> when one is given.
    /// </summary>
    public IReadOnlyList<SiloHeartbeat> Live(DateTimeOffset now, string? sweep)
    {
        lock (gate)
        {
            return
            [
                .. silos.Values
                    .Where(h => now - h.At < lease)
                    .OrderBy(h => h.Message.Silo.Name, StringComparer.Ordinal)
                    .Select(h => sweep is null
                        ? h.Message.Silo
                        : h.Message.Silo with { Running = [.. h.Message.Attempts().Where(a => a.Sweep == sweep).Select(a => a.Trial)] }),
            ];
        }
    }

    /// <summary>How long <paramref name="name"/> has been silent; null if never heard (or long forgotten).</summary>
    public TimeSpan? SilentFor(string name, DateTimeOffset now)
    {
        lock (gate) return silos.TryGetValue(name, out var heard) ? now - heard.At : null;
    }

    /// <summary>The process id <paramref name="name"/> last reported.</summary>
    public string? InstanceOf(string name)
    {
        lock (gate) return silos.TryGetValue(name, out var heard) ? heard.Message.Instance : null;
    }

    /// <summary>Live silos other than <paramref name="exceptInstance"/> that report running this attempt.</summary>
    public IReadOnlyList<string> Running(string sweep, RunningTrial attempt, DateTimeOffset now, string? exceptInstance)
    {
        lock (gate)
        {
            return
            [
                .. silos.Values
                    .Where(h => now - h.At < lease && h.Message.Instance != exceptInstance)
                    .Where(h => h.Message.Attempts().Contains((sweep, attempt)))
                    .Select(h => h.Message.Silo.Name),
            ];
        }
    }

    /// <summary>
    /// After a reconnection: the silence was ours, not theirs, so everyone counts as just heard
    /// (they get a full lease to show up again).
    /// </summary>
    public void Refresh(DateTimeOffset now)
    {
        lock (gate)
            foreach (var name in silos.Keys.ToList())
                silos[name] = silos[name] with { At = now };
    }

    private sealed record Heard(HeartbeatMessage Message, DateTimeOffset At);
}
