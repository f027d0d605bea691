using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace VaeSweep.Grains;

/// <summary>
/// Puts a <see cref="HintedPlacementStrategy"/> grain on the hinted silo when the membership calls it active, without waiting
/// for that silo's manifest to reach this one; without a usable hint, on this silo if it can host the grain, else on
/// any that can.
/// </summary>
internal sealed class HintedPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        if (target.RequestContextData is { } data && data.TryGetValue(IPlacementDirector.PlacementHintKey, out var value)
            && value is SiloAddress hint && membership.CurrentSnapshot.GetSiloStatus(hint) == SiloStatus.Active)
            return Task.FromResult(hint);

        var compatible = context.GetCompatibleSilos(target);
        return Task.FromResult(compatible.Contains(context.LocalSilo) ? context.LocalSilo : compatible[Random.Shared.Next(compatible.Length)]);
    }
}

public static class HintedPlacementRegistration
{
    /// <summary>Every silo hosting VaeSweep's grains needs this director: the grains are marked <see cref="HintedPlacementAttribute"/>.</summary>
    public static IServiceCollection AddHintedPlacement(this IServiceCollection services)
    {
        services.AddPlacementDirector<HintedPlacementStrategy, HintedPlacementDirector>();
        return services;
    }
}
