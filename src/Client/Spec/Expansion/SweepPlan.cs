using VaeSweep.Client.Spec.Parameters;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>A read sweep section, ready to expand into trials.</summary>
internal abstract class SweepPlan
{
    public abstract SweepStrategy Strategy { get; }

    /// <summary>The swept parameters in spec order: the columns a trial table shows.</summary>
    public abstract IReadOnlyList<SpecParameter> Columns { get; }

    /// <summary>Seed of a random or tpe sweep; null for the others.</summary>
    public virtual int? Seed => null;

    /// <summary>
    /// Every trial known at parse time, in the strategy's deterministic order (for an adaptive strategy, the startup
    /// trials); problems go to the sink (invalid trials are left out).
    /// </summary>
    public abstract IReadOnlyList<ResolvedTrial> Expand(TrialResolver resolver, SpecErrorSink errors);

    /// <summary>The fewest epochs any trial of the sweep can train (a schedule's grace must be below it); null without trials.</summary>
    /// <param name="expanded">What <see cref="Expand"/> returned.</param>
    public virtual int? FewestEpochs(IReadOnlyList<ResolvedTrial> expanded) =>
        expanded.Count > 0 ? expanded.Min(t => t.Config.Epochs) : null;

    /// <summary>An adaptive strategy's proposer of the trials after <paramref name="expanded"/>; null for the fixed ones.</summary>
    /// <param name="expanded">What <see cref="Expand"/> returned.</param>
    public virtual Search.ITrialProposer? Proposer(IReadOnlyList<ResolvedTrial> expanded, TrialResolver resolver) => null;
}
