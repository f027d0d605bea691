using VaeSweep.Contracts;

namespace VaeSweep.Grains;

/// <summary>
/// The slots of one silo process, shared by its trial grains. A grain reserves a slot before its attempt
/// trains and frees it when training ends, so no silo trains more than <see cref="SiloIdentity.Slots"/>
/// trials at once whatever its callers do. It also lists the attempts whose grains are still resident.
/// </summary>
public sealed class SiloSlots(SiloIdentity identity)
{
    private readonly Lock gate = new();
    private readonly HashSet<RunningTrial> training = [];
    private readonly HashSet<RunningTrial> resident = [];

    public SiloIdentity Identity { get; } = identity;

    /// <returns>False when every slot is taken.</returns>
    public bool TryReserve(RunningTrial attempt)
    {
        lock (gate)
        {
            if (training.Contains(attempt)) return true;
            if (training.Count >= Identity.Slots) return false;
            training.Add(attempt);
            resident.Add(attempt);
            return true;
        }
    }

    /// <summary>Training ended; the grain may still hold events to deliver.</summary>
    public void EndTraining(RunningTrial attempt)
    {
        lock (gate) training.Remove(attempt);
    }

    /// <summary>The grain delivered everything (or went away).</summary>
    public void Leave(RunningTrial attempt)
    {
        lock (gate)
        {
            training.Remove(attempt);
            resident.Remove(attempt);
        }
    }

    public SiloReport Report(string engine, DateTimeOffset at)
    {
        lock (gate) return new SiloReport(Identity.Name, Identity.Host, Identity.Slots, [.. training], [.. resident], engine, at);
    }
}
