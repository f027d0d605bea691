using VaeSweep.Contracts;
using VaeSweep.Model;

namespace VaeSweep.Grains;

/// <summary>Reports its silo's slots and trials. Refuses when placed off its own silo (which has then left the cluster).</summary>
[HintedPlacement]
public sealed class SiloGrain(SiloSlots slots, TimeProvider time) : Grain, ISiloGrain
{
    public Task<SiloReport> ReportAsync()
    {
        if (this.GetPrimaryKeyString() != RuntimeIdentity)
        {
            DeactivateOnIdle();
            throw new InvalidOperationException($"silo {this.GetPrimaryKeyString()} is not in the cluster");
        }

        return Task.FromResult(slots.Report(EngineInfo.Descriptor, time.GetUtcNow()));
    }
}
