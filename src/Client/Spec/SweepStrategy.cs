namespace VaeSweep.Client.Spec;

/// <summary>How a spec's sweep section turns into trials.</summary>
public enum SweepStrategy
{
    /// <summary>Cartesian product of the parameter lists; parameters in file order, the last varying fastest.</summary>
    Grid,
    /// <summary><c>trials</c> distinct draws from the parameter lists and distributions, seeded.</summary>
    Random,
    /// <summary>An explicit list of <c>configs</c>, each a mapping of overrides.</summary>
    List,
    /// <summary>
    /// <c>trials</c> trials, the first <c>startup_trials</c> random search's draws, the rest proposed by a
    /// multivariate tree-structured Parzen estimator from the results so far (see Search.ITrialProposer).
    /// </summary>
    Tpe,
}
