using Orleans.Placement;

namespace VaeSweep.Grains;

/// <summary>
/// Places an activation on the silo named by the caller's placement hint whenever the membership calls that silo
/// active. Orleans' own strategies honour a hint only for silos already in the placing silo's cluster manifest, which
/// follows the membership by a fetch per new silo; on a loaded host that took over a minute, and a silo that joined
/// mid-sweep got no work all that while (issue 18.5). The client chooses the silo; this only makes the choice stick.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class HintedPlacementStrategy : PlacementStrategy
{
    internal static readonly HintedPlacementStrategy Singleton = new();
}

/// <summary>Marks a grain class as placed by <see cref="HintedPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class HintedPlacementAttribute() : PlacementAttribute(HintedPlacementStrategy.Singleton);
