using VaeSweep.Client.Ranking;
using VaeSweep.Client.Search;
using VaeSweep.Client.Scheduling;
using VaeSweep.Client.Scheduling.Core;
using VaeSweep.Client.Scheduling.Sources;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
using VaeSweep.Contracts;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Scheduling.Core;

/// <summary>The scheduling core driven by scripted event sequences: no store, no silo, only actions out.</summary>
public sealed class SchedulingCoreTests
{
    private static readonly DatasetSpec Data = new("fashion-mnist", "/data");

    private static ResolvedTrial Trial(int latent, int epochs = 4) =>
        ResolvedTrial.Create(new TrialConfig { Latent = latent, Epochs = epochs }, Data);

    private static KnownTrial Pending(ResolvedTrial trial) => new(trial, TrialStatus.Pending, 0, 0, [], null);

    private static EpochMetrics Metrics(int epoch, double elbo) => new(epoch, 0, 0, 0, 0, elbo, 0, 0, 0, 0);

    private static LogLikelihoodEstimate Estimate(string split, double mean) => new(split, 10, 2, mean, 1, mean - 5, [mean, mean]);

    private static TrialFinished Finished(ResolvedTrial t, int attempt, double ll) =>
        new(t.Id, attempt, Estimate("validation", ll), Estimate("test", ll), 1.0);

    private static SchedulingCore Core(ScheduleSpec? schedule = null, SchedulerOptions? options = null, ITrialSource? source = null) =>
        new(schedule ?? ScheduleSpec.None, options ?? new SchedulerOptions(), source ?? FixedTrialSource.Instance);

    private static IReadOnlyList<SchedulerAction> Start(SchedulingCore core, params KnownTrial[] trials) =>
        core.Start([.. trials.Select((t, i) => (t, i))], []);

    [Fact]
    public void Start_gives_out_every_pending_trial_in_order_as_its_first_attempt()
    {
        var (a, b) = (Trial(2), Trial(3));
        var core = Core();
        var actions = Start(core, Pending(a), Pending(b));
        Assert.Equal([new GiveOut(a.Id, 1, AttemptKind.Train, null, null), new GiveOut(b.Id, 1, AttemptKind.Train, null, null)], actions);
        Assert.False(core.IsDone);
    }

    [Fact]
    public void A_trial_an_earlier_client_left_running_is_followed_not_given_out_again()
    {
        var a = Trial(2);
        var core = Core();
        var actions = Start(core, new KnownTrial(a, TrialStatus.Running, 3, 1, [], null));
        Assert.Equal([new Follow(a.Id, 3)], actions);
        // Its runner reports it lost: the next attempt is the store's count plus one.
        Assert.Equal(new GiveOut(a.Id, 4, AttemptKind.Train, null, null), core.Handle(new TrialReleased(a.Id, 3, "gone")).OfType<GiveOut>().Single());
    }

    [Fact]
    public void Ended_trials_are_left_alone_and_a_sweep_of_only_those_is_done()
    {
        var a = Trial(2);
        var core = Core();
        Assert.Empty(Start(core, new KnownTrial(a, TrialStatus.Finished, 1, 0, [], TrialOutcome.Finished(new TrialNumbers(Estimate("validation", -90), null, 1), 4))));
        Assert.True(core.IsDone);
        Assert.Empty(core.Handle(Finished(a, 1, -80)));
    }

    [Fact]
    public void A_failed_attempt_is_retried_until_max_failures_then_the_trial_fails()
    {
        var a = Trial(2);
        var core = Core(options: new SchedulerOptions { MaxFailures = 2 });
        Start(core, Pending(a));
        var first = core.Handle(new TrialFailed(a.Id, 1, "boom"));
        Assert.Equal([new RecordFailure(new TrialFailed(a.Id, 1, "boom")), new ShowReleased(a.Id), new GiveOut(a.Id, 2, AttemptKind.Train, null, null)], first);
        var second = core.Handle(new TrialFailed(a.Id, 2, "boom again"));
        Assert.Equal([new RecordFailure(new TrialFailed(a.Id, 2, "boom again")), new GiveUp(a.Id, 2, "boom again (after 2 failed attempts)")], second);
        Assert.Equal(TrialPhase.Ended, core.PhaseOf(a.Id));
        Assert.True(core.IsDone);
    }

    [Fact]
    public void Failures_stored_by_an_earlier_run_count_towards_max_failures()
    {
        var a = Trial(2);
        var core = Core(options: new SchedulerOptions { MaxFailures = 3 });
        core.Start([(new KnownTrial(a, TrialStatus.Pending, 2, 2, [], null), 0)], []);
        Assert.Contains(new GiveUp(a.Id, 3, "x (after 3 failed attempts)"), core.Handle(new TrialFailed(a.Id, 3, "x")));
    }

    [Fact]
    public void Released_attempts_do_not_count_as_failures_but_are_capped_by_max_attempts()
    {
        var a = Trial(2);
        var core = Core(options: new SchedulerOptions { MaxFailures = 1, MaxAttempts = 2 });
        Start(core, Pending(a));
        Assert.Equal([new ShowReleased(a.Id), new GiveOut(a.Id, 2, AttemptKind.Train, null, null)], core.Handle(new TrialReleased(a.Id, 1, "silo left")));
        var last = core.Handle(new TrialReleased(a.Id, 2, "silo left"));
        Assert.Equal([new ShowReleased(a.Id), new GiveUp(a.Id, 2, "gave up after 2 attempts; the last ended: silo left")], last);
    }

    [Fact]
    public void Events_of_an_attempt_moved_past_are_dropped_and_its_late_start_is_cancelled()
    {
        var a = Trial(2);
        var core = Core();
        Start(core, Pending(a));
        core.Handle(new TrialReleased(a.Id, 1, "silo left"));
        Assert.Empty(core.Handle(new EpochCompleted(a.Id, 1, Metrics(1, -100))));
        Assert.Empty(core.Handle(new TrialFinished(a.Id, 1, Estimate("validation", 1), Estimate("test", 1), 1)));
        Assert.Equal([new CancelAttempt(a.Id, 1)], core.Handle(new TrialStarted(a.Id, 1, "h", 0)));
        // The current attempt's events are stored.
        Assert.Equal([new RecordEvent(new TrialStarted(a.Id, 2, "h", 0))], core.Handle(new TrialStarted(a.Id, 2, "h", 0)));
        Assert.Equal(TrialPhase.Given, core.PhaseOf(a.Id));
    }

    [Fact]
    public void A_finished_trial_ignores_what_arrives_late()
    {
        var a = Trial(2);
        var core = Core();
        Start(core, Pending(a));
        var finished = Finished(a, 1, -80);
        Assert.Equal([new RecordEvent(finished)], core.Handle(finished));
        Assert.True(core.IsDone);
        Assert.Empty(core.Handle(finished));
        Assert.Empty(core.Handle(new TrialReleased(a.Id, 1, "silo left after")));
    }

    [Fact]
    public void Cancel_stops_every_attempt_out_and_then_nothing_more_is_done()
    {
        var (a, b, c) = (Trial(2), Trial(3), Trial(4));
        var core = Core();
        Start(core, Pending(a), Pending(b), Pending(c));
        core.Handle(Finished(a, 1, -80));
        Assert.Equal([new CancelAttempt(b.Id, 1), new CancelAttempt(c.Id, 1)], core.Cancel());
        Assert.True(core.IsDone);
        Assert.Empty(core.Handle(new TrialReleased(b.Id, 1, "cancelled")));
    }

    private static readonly ScheduleSpec Asha = new(ScheduleKind.Asha, Grace: 1, Reduction: 2, MinTrials: 1);

    [Fact]
    public void Under_asha_a_trial_pauses_at_each_rung_and_is_continued_or_pruned_in_sweep_order()
    {
        // Four epochs, rungs at 1 and 2. The first trial is judged with nothing to compare: it goes on.
        var (a, b) = (Trial(2), Trial(3));
        var core = Core(Asha);
        Assert.Equal([new GiveOut(a.Id, 1, AttemptKind.Train, 1, null), new GiveOut(b.Id, 1, AttemptKind.Train, 1, null)], Start(core, Pending(a), Pending(b)));

        // The second trial reaches the rung first, worse: it waits for the first, parked.
        core.Handle(new EpochCompleted(b.Id, 1, Metrics(1, -200)));
        Assert.Equal([new RecordEvent(new TrialPaused(b.Id, 1, 1))], core.Handle(new TrialPaused(b.Id, 1, 1)));
        Assert.Equal(TrialPhase.Parked, core.PhaseOf(b.Id));

        // The first trial's score at the rung is all the second needed: it is pruned at once; the first is judged on its pause.
        var scored = core.Handle(new EpochCompleted(a.Id, 1, Metrics(1, -100)));
        var decided = core.Handle(new TrialPaused(a.Id, 1, 1));
        var decisions = scored.Concat(decided).OfType<RecordDecision>().ToList();
        Assert.Equal([(b.Id, RungVerdict.Prune), (a.Id, RungVerdict.Continue)], decisions.Select(d => (d.Decision.TrialId, d.Decision.Verdict)));
        Assert.Equal(3, decisions[0].EpochsSkipped);
        // The continued trial goes on as a new attempt to its next rung; the pruned one ends.
        Assert.Contains(new GiveOut(a.Id, 2, AttemptKind.Train, 2, null), decided);
        Assert.Equal(TrialPhase.Ended, core.PhaseOf(b.Id));
        Assert.DoesNotContain(decided, x => x is GiveOut g && g.TrialId == b.Id);
    }

    [Fact]
    public void Continues_after_decisions_do_not_use_up_attempts()
    {
        var a = Trial(2, epochs: 8);
        var core = Core(Asha, new SchedulerOptions { MaxFailures = 1, MaxAttempts = 1 });
        Start(core, Pending(a));
        core.Handle(new EpochCompleted(a.Id, 1, Metrics(1, -100)));
        Assert.Contains(new GiveOut(a.Id, 2, AttemptKind.Train, 2, null), core.Handle(new TrialPaused(a.Id, 1, 1)));
        // One release on the second attempt: attempts spent (2) less decisions (1) reaches the cap of 1.
        Assert.Contains(core.Handle(new TrialReleased(a.Id, 2, "lost")), x => x is GiveUp);
    }

    [Fact]
    public void A_pruned_trial_is_evaluated_at_its_rung_when_the_schedule_asks_and_stays_pruned()
    {
        var (a, b) = (Trial(2), Trial(3));
        var core = Core(Asha with { EvaluatePruned = true });
        Start(core, Pending(a), Pending(b));
        core.Handle(new EpochCompleted(a.Id, 1, Metrics(1, -100)));
        core.Handle(new TrialPaused(a.Id, 1, 1));
        core.Handle(new EpochCompleted(b.Id, 1, Metrics(1, -200)));
        var pruned = core.Handle(new TrialPaused(b.Id, 1, 1));
        Assert.Contains(pruned, x => x is RecordDecision { Decision.Verdict: RungVerdict.Prune, KeepCheckpoint: true });
        Assert.Contains(new GiveOut(b.Id, 2, AttemptKind.Evaluate, null, 1), pruned);
        Assert.Equal(TrialPhase.Evaluating, core.PhaseOf(b.Id));

        // A lost evaluation is given out again; a finished one is stored as the pruned trial's estimate.
        Assert.Equal([new GiveOut(b.Id, 3, AttemptKind.Evaluate, null, 1)], core.Handle(new TrialReleased(b.Id, 2, "lost")));
        Assert.Equal([new ShowEvaluating(new TrialStarted(b.Id, 3, "h", 1))], core.Handle(new TrialStarted(b.Id, 3, "h", 1)));
        var f = Finished(b, 3, -150);
        Assert.Equal([new RecordEvaluation(f), new ShowReleased(b.Id)], core.Handle(f));
        Assert.Equal(TrialPhase.Ended, core.PhaseOf(b.Id));
    }

    [Fact]
    public void Decisions_stored_by_an_earlier_run_stand_and_a_paused_trial_resumes_past_its_rung()
    {
        var a = Trial(2);
        var curve = new[] { Metrics(1, -100) };
        var core = Core(Asha);
        var decision = new RungDecision(a.Id, 1, "asha", "val_elbo", -100, null, 0, RungVerdict.Continue);
        var actions = core.Start([(new KnownTrial(a, TrialStatus.Paused, 1, 0, curve, null), 0)], [decision]);
        Assert.Equal([new GiveOut(a.Id, 2, AttemptKind.Train, 2, null)], actions);
    }

    [Fact]
    public void A_paused_trial_without_its_decision_waits_and_is_decided_on_start()
    {
        var a = Trial(2);
        var core = Core(Asha);
        var actions = core.Start([(new KnownTrial(a, TrialStatus.Paused, 1, 0, [Metrics(1, -100)], null), 0)], []);
        Assert.Equal(RungVerdict.Continue, Assert.IsType<RecordDecision>(actions[0]).Decision.Verdict);
        Assert.Equal(new GiveOut(a.Id, 2, AttemptKind.Train, 2, null), actions[1]);
    }

    /// <summary>Proposes the next of its trials once every earlier one has ended, recording what it saw.</summary>
    private sealed class OneAtATime(params ResolvedTrial[] trials) : ITrialSource
    {
        public List<SweepView> Seen { get; } = [];

        public IReadOnlyList<ResolvedTrial> Propose(SweepView sweep)
        {
            Seen.Add(sweep);
            var n = sweep.Trials.Count;
            return n < trials.Length && sweep.Trials.All(t => t.Outcome is not null) ? [trials[n]] : [];
        }

        public bool Exhausted(SweepView sweep) => sweep.Trials.Count == trials.Length;
    }

    [Fact]
    public void A_source_with_nothing_stored_proposes_its_first_trial_at_ordinal_zero()
    {
        var (a, b) = (Trial(2), Trial(3));
        var core = Core(source: new OneAtATime(a, b));
        Assert.Equal([new AddTrial(a, 0), new GiveOut(a.Id, 1, AttemptKind.Train, null, null)], core.Start([], []));
        Assert.False(core.IsDone);
    }

    [Fact]
    public void An_adaptive_source_sees_each_outcome_and_its_proposals_follow_the_stored_ordinals()
    {
        var (first, a, b) = (Trial(1), Trial(2), Trial(3));
        var source = new OneAtATime(first, a, b);
        var core = Core(source: source);
        // One trial stored earlier at ordinal 6 and still pending: nothing is proposed until it ends.
        var start = core.Start([(Pending(first), 6)], []);
        Assert.Equal([new GiveOut(first.Id, 1, AttemptKind.Train, null, null)], start);
        Assert.False(core.IsDone);

        var finished = Finished(first, 1, -90);
        var after = core.Handle(finished);
        Assert.Equal([new RecordEvent(finished), new AddTrial(a, 7), new GiveOut(a.Id, 1, AttemptKind.Train, null, null)], after);
        var outcome = source.Seen[^1].Trials[0].Outcome!;
        Assert.Equal((OutcomeKind.Finished, 4), (outcome.Kind, outcome.Epochs));
        Assert.Same(finished.Validation, outcome.Numbers!.Validation);
        Assert.Equal(SearchScore.Finished(-90), outcome.ScoreBy(Objective.Default));

        // A diverged trial is a bad outcome, and the source goes on.
        var diverged = core.Handle(new TrialDiverged(a.Id, 1, 2, "nan"));
        Assert.Equal(TrialOutcome.Bad, source.Seen[^1].Trials[1].Outcome);
        Assert.Contains(new AddTrial(b, 8), diverged);
        core.Handle(Finished(b, 1, -70));
        Assert.True(core.IsDone);
    }

    [Fact]
    public void A_pruned_trial_informs_the_source_with_the_score_it_reached_at_its_rung()
    {
        var (a, b, c) = (Trial(2), Trial(3), Trial(4));
        var source = new OneAtATime(a, b, c);
        var core = Core(Asha, source: source);
        core.Start([], []);
        core.Handle(new EpochCompleted(a.Id, 1, Metrics(1, -100)));
        core.Handle(new TrialPaused(a.Id, 1, 1));
        core.Handle(new EpochCompleted(a.Id, 2, Metrics(2, -90)));
        core.Handle(new TrialPaused(a.Id, 2, 2));
        var finishedA = Finished(a, 3, -80);
        Assert.Contains(new AddTrial(b, 1), core.Handle(finishedA));

        core.Handle(new EpochCompleted(b.Id, 1, Metrics(1, -300)));
        var pruned = core.Handle(new TrialPaused(b.Id, 1, 1));
        Assert.Contains(pruned, x => x is RecordDecision { Decision.Verdict: RungVerdict.Prune });
        Assert.Equal(TrialOutcome.Pruned(-300, 1), source.Seen[^1].Trials[1].Outcome);
        Assert.Contains(new AddTrial(c, 2), pruned);
    }

    [Fact]
    public void An_outcome_without_a_finite_value_is_the_worst_score()
    {
        Assert.Equal(SearchScore.Bad, TrialOutcome.Bad.ScoreBy(Objective.Default));
        Assert.Equal(SearchScore.Bad, TrialOutcome.Finished(new TrialNumbers(Estimate("validation", double.NaN), null, 1), 4).ScoreBy(Objective.Default));
        Assert.Equal(SearchScore.Bad, TrialOutcome.Finished(new TrialNumbers(null, null, 1), 4).ScoreBy(Objective.Default));
        Assert.Equal(SearchScore.Pruned(1, -120), TrialOutcome.Pruned(-120, 1).ScoreBy(Objective.Default));
    }

    [Fact]
    public void A_finished_trial_is_scored_by_the_sweeps_objective_from_its_last_epoch_and_its_estimate()
    {
        var a = Trial(2, epochs: 2);
        var source = new OneAtATime(a);
        var core = Core(source: source);
        core.Start([], []);
        core.Handle(new EpochCompleted(a.Id, 1, Metrics(1, -100) with { ValidationKl = 30 }));
        core.Handle(new EpochCompleted(a.Id, 1, Metrics(2, -90) with { ValidationKl = 12 }));
        core.Handle(Finished(a, 1, -80));
        var outcome = source.Seen[^1].Trials[0].Outcome!;

        Assert.Equal(SearchScore.Finished(-80), outcome.ScoreBy(Objective.Default));
        // kl is minimised: the search maximises its negation, read from the last epoch, not the first.
        Assert.Equal(SearchScore.Finished(-12), outcome.ScoreBy(Objective.Parse(["kl"], (_, m) => Assert.Fail(m))!));
        // A broken constraint makes the trial bad, whatever its goal value.
        Assert.Equal(SearchScore.Bad, outcome.ScoreBy(Objective.Parse(["heldout_ll", "kl <= 10"], (_, m) => Assert.Fail(m))!));
        Assert.Equal(SearchScore.Finished(-80), outcome.ScoreBy(Objective.Parse(["heldout_ll", "kl <= 20"], (_, m) => Assert.Fail(m))!));
    }
}
