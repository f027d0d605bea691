namespace VaeSweep.Client.Scheduling.Stopping;

/// <summary>
/// An early-stopping rule, as pure functions of curves: where a trial may be stopped, and whether it is at one
/// given what the trials before it scored there. Curves hold one score per epoch (epoch 1 first), higher better,
/// NaN where the metric was not finite.
/// </summary>
internal interface IStoppingRule
{
    /// <summary>The spec's name of the rule (asha, median), as stored with each decision.</summary>
    string Name { get; }

    /// <summary>Epoch counts at which a trial of <paramref name="epochs"/> epochs is judged, ascending, all below <paramref name="epochs"/>.</summary>
    IReadOnlyList<int> Rungs(int epochs);

    /// <summary>The score a trial is judged by at <paramref name="rung"/>; its curve has at least that many epochs.</summary>
    double Score(IReadOnlyList<double> curve, int rung);

    /// <summary>What an earlier trial's curve (of at least <paramref name="rung"/> epochs) counts as at the rung.</summary>
    double Reference(IReadOnlyList<double> curve, int rung);

    /// <summary>
    /// The score a trial must reach to continue, from the earlier trials' <paramref name="references"/> (at least
    /// min_trials of them) and its own <paramref name="score"/>.
    /// </summary>
    double Cutoff(double score, IReadOnlyList<double> references);
}
