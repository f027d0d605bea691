using VaeSweep.Client.Ranking;
using VaeSweep.Client.Search;
using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Scheduling.Sources;

/// <summary>
/// A tpe sweep's trials after its startup ones: trial n is proposed once trials 0..n − lag have ended, from their
/// outcomes only, with n − lag + 1..n − 1 as pending (<see cref="LagRule"/>), so the sweep proposes the same trials
/// whatever the slots, the silos, the order events arrive in, or an interruption. The startup trials are the spec's
/// expansion, stored before the sweep starts. Ended trials are scored by the sweep's <paramref name="objective"/>
/// (<c>sweep.objective</c>), the number ranking orders by.
/// </summary>
public sealed class TpeTrialSource(ITrialProposer proposer, Objective objective) : ITrialSource
{
    public IReadOnlyList<ResolvedTrial> Propose(SweepView sweep)
    {
        var trials = sweep.Trials;
        var ended = 0;
        while (ended < trials.Count && trials[ended].Outcome is not null) ended++;

        var proposed = new List<ResolvedTrial>();
        for (var n = trials.Count; n < proposer.Trials && LagRule.Ready(n, proposer.Lag, proposer.StartupTrials, ended); n++)
        {
            var learnt = LagRule.LearnsFrom(n, proposer.Lag);
            var completed = trials.Take(learnt).Select((t, i) => new Observation(i, t.Trial.Config, t.Outcome!.ScoreBy(objective))).ToList();
            var pending = trials.Skip(learnt).Select(t => t.Trial).Concat(proposed)
                .Select((t, i) => new PendingTrial(learnt + i, t.Config)).ToList();
            proposed.Add(proposer.Propose(completed, pending, n).Trial);
        }
        return proposed;
    }

    public bool Exhausted(SweepView sweep) => sweep.Trials.Count >= proposer.Trials;
}
