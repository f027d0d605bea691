using VaeSweep.Client.Scheduling.Sources;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Scheduling.Core;

/// <summary>A trial of the sweep as the store had it when the scheduler started.</summary>
/// <param name="Attempts">Attempts begun so far (the store's count).</param>
/// <param name="Failures">Attempts that ended in an error so far.</param>
/// <param name="Curve">Its stored epochs in order (epoch 1 first).</param>
/// <param name="Outcome">What it reached, for a trial that has ended (finished, pruned, diverged, failed).</param>
/// <param name="NeedsEstimate">A pruned trial without a held-out estimate.</param>
public sealed record KnownTrial(
    ResolvedTrial Trial,
    TrialStatus Status,
    int Attempts,
    int Failures,
    IReadOnlyList<Model.EpochMetrics> Curve,
    TrialOutcome? Outcome,
    bool NeedsEstimate = false);
