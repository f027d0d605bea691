using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Scheduling.Sources;

/// <summary>
/// Grid, random and list sweeps: every trial is known from the spec and stored before the sweep starts, so there is
/// nothing to propose.
/// </summary>
public sealed class FixedTrialSource : ITrialSource
{
    public static FixedTrialSource Instance { get; } = new();

    public IReadOnlyList<ResolvedTrial> Propose(SweepView sweep) => [];

    public bool Exhausted(SweepView sweep) => true;
}
