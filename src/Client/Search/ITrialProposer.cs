namespace VaeSweep.Client.Search;

/// <summary>
/// Proposes the trials of an adaptive sweep one index at a time, from the results so far. Deterministic: the trial
/// for an index depends only on the spec and on the arguments, so a caller that follows <see cref="LagRule"/>
/// gets the same trials whatever the number of slots, after an interruption, and on a re-run.
/// </summary>
public interface ITrialProposer
{
    /// <summary>Trials in the sweep (sweep.trials).</summary>
    int Trials { get; }

    /// <summary>The first trials, random search's draws (sweep.startup_trials); they need no results.</summary>
    int StartupTrials { get; }

    /// <summary>sweep.lag: trial n learns from trials 0..n − lag and counts n − lag + 1..n − 1 as pending.</summary>
    int Lag { get; }

    /// <summary>The trial at <paramref name="index"/>; for index &lt; <see cref="StartupTrials"/> the inputs are not used.</summary>
    /// <param name="completed">Finished trials, any order (they are sorted by index).</param>
    /// <param name="pending">Trials proposed but not to be learnt from, any order; each must have a larger index than every completed one.</param>
    /// <exception cref="ArgumentException">An index outside 0..Trials − 1, or a config outside the spec's parameters.</exception>
    TrialProposal Propose(IReadOnlyList<Observation> completed, IReadOnlyList<PendingTrial> pending, int index);
}
