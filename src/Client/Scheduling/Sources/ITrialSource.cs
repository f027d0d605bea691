using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Scheduling.Sources;

/// <summary>
/// Where a sweep's trials come from. A fixed strategy (grid, random, list) knows them all before the sweep starts;
/// an adaptive one proposes the next trial from the outcomes so far. Sources are pure: the same view gives the same
/// proposals, so a sweep proposes the same trials whatever the slots, silos or interruptions.
/// </summary>
public interface ITrialSource
{
    /// <summary>
    /// Trials to add after those in <paramref name="sweep"/> (the sweep's trials in order, with outcomes so far), in
    /// order; empty when none is due yet. Each must differ from every trial already in the sweep.
    /// </summary>
    IReadOnlyList<ResolvedTrial> Propose(SweepView sweep);

    /// <summary>Whether the source will propose no more trials, whatever comes.</summary>
    bool Exhausted(SweepView sweep);
}

/// <summary>A sweep's trials in sweep order, as a source sees them.</summary>
public sealed record SweepView(IReadOnlyList<SourceTrial> Trials);

/// <param name="Outcome">Null while the trial has not ended.</param>
public sealed record SourceTrial(ResolvedTrial Trial, TrialOutcome? Outcome);
