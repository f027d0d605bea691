using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// A heartbeat as it travels: the silo's <see cref="SiloHeartbeat"/>, the sweep of each running attempt
/// (Sweeps[i] belongs to Silo.Running[i]; trial ids are only unique within a sweep), and an id of the
/// process, so that a silo restarted under the same name is not mistaken for the one that died.
/// </summary>
internal sealed record HeartbeatMessage(SiloHeartbeat Silo, string Instance, IReadOnlyList<string> Sweeps)
{
    public IEnumerable<(string Sweep, RunningTrial Trial)> Attempts()
    {
        for (var i = 0; i < Silo.Running.Count && i < Sweeps.Count; i++)
            yield return (Sweeps[i], Silo.Running[i]);
    }
}
