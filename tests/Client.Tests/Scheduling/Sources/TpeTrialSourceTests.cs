using VaeSweep.Client.Ranking;
using VaeSweep.Client.Scheduling.Sources;
using VaeSweep.Client.Search;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Tests.Spec;
using VaeSweep.Model;
using VaeSweep.Model.Evaluation;

namespace VaeSweep.Client.Tests.Scheduling.Sources;

/// <summary>What the tpe source hands its proposer: the lag rule's trials, scored by the sweep's objective.</summary>
public sealed class TpeTrialSourceTests
{
    private static SweepSpec Spec(string objective) => SpecTesting.Valid(SpecTesting.Header + $"""
        sweep:
          strategy: tpe
          trials: 8
          startup_trials: 3
          lag: 1
          objective: {objective}
          parameters:
            latent: {"{"} int_uniform: [2, 32] {"}"}

        """);

    /// <summary>Records every call, then lets the spec's own proposer answer.</summary>
    private sealed class Recording(ITrialProposer inner) : ITrialProposer
    {
        public List<(IReadOnlyList<Observation> Completed, IReadOnlyList<PendingTrial> Pending, int Index)> Calls { get; } = [];
        public int Trials => inner.Trials;
        public int StartupTrials => inner.StartupTrials;
        public int Lag => inner.Lag;

        public TrialProposal Propose(IReadOnlyList<Observation> completed, IReadOnlyList<PendingTrial> pending, int index)
        {
            Calls.Add((completed, pending, index));
            return inner.Propose(completed, pending, index);
        }
    }

    private static TrialOutcome Finished(double ll, double kl, int activeUnits) => TrialOutcome.Finished(new TrialNumbers(
        new LogLikelihoodEstimate("validation", 10, 2, ll, 1, ll - 5, [ll, ll],
            new LatentStatistics(0.01, activeUnits, [1.0, 1.0], [0.5, 0.5], kl, -ll - kl)),
        new EpochMetrics(1, 0, 0, 0, 0, ll - 5, kl, 0, 0, 0), 1.5), 1);

    [Fact]
    public void Each_trial_reaches_the_proposer_scored_by_the_sweeps_objective()
    {
        var outcomes = new[] { Finished(-90, kl: 20, activeUnits: 2), TrialOutcome.Pruned(-95, 1), Finished(-80, kl: 30, activeUnits: 1) };

        SearchScore[] ScoresSeenUnder(string objective)
        {
            var spec = Spec(objective);
            var recording = new Recording(spec.Proposer!);
            var view = new SweepView([.. spec.Expand().Zip(outcomes, (t, o) => new SourceTrial(t, o))]);
            var proposed = new TpeTrialSource(recording, spec.Objective).Propose(view);
            Assert.Single(proposed); // lag 1: trial 3 learns from 0..2; trial 4 waits for trial 3
            var (completed, pending, index) = recording.Calls.Single();
            Assert.Equal((3, 0), (index, pending.Count));
            return [.. completed.OrderBy(o => o.Index).Select(o => o.Score)];
        }

        Assert.Equal([SearchScore.Finished(-90), SearchScore.Pruned(1, -95), SearchScore.Finished(-80)], ScoresSeenUnder("heldout_ll"));
        Assert.Equal([SearchScore.Finished(-20), SearchScore.Pruned(1, -95), SearchScore.Finished(-30)], ScoresSeenUnder("kl"));
        Assert.Equal([SearchScore.Finished(20), SearchScore.Pruned(1, -95), SearchScore.Finished(30)], ScoresSeenUnder("rate max"));
        Assert.Equal([SearchScore.Finished(-90), SearchScore.Pruned(1, -95), SearchScore.Bad], ScoresSeenUnder("[heldout_ll, active_units >= 2]"));
    }
}
