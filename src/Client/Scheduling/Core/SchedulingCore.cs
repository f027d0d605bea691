using VaeSweep.Client.Ranking;
using VaeSweep.Client.Scheduling.Sources;
using VaeSweep.Client.Scheduling.Stopping;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
using VaeSweep.Contracts;

namespace VaeSweep.Client.Scheduling.Core;

/// <summary>
/// The decisions of a sweep, without I/O: it takes what the store held at the start, then each event of a trial
/// attempt (and a cancel), and returns the actions its shell (<see cref="SweepScheduler"/>) carries out: store this,
/// give that out, cancel that. One <see cref="TrialPhase"/> per trial says where it stands. The rules:
/// <list type="bullet">
/// <item>Events of an attempt it has moved past are dropped (a late start of an older attempt is cancelled).</item>
/// <item>A failed attempt is retried from the last checkpoint until <see cref="SchedulerOptions.MaxFailures"/>; a
/// released one (silo lost, shutdown) is retried without counting, up to <see cref="SchedulerOptions.MaxAttempts"/>
/// attempts of any kind, attempts begun after a rung decision excluded.</item>
/// <item>Under an early-stopping schedule a trial trains one rung at a time and is judged there by the
/// <see cref="RungLedger"/>, in sweep order, once the trials before it allow (so the decisions do not depend on
/// arrival order); pruned trials are evaluated at their rung when the schedule says so.</item>
/// <item>After every change the <see cref="ITrialSource"/> may propose trials, which are stored at the next ordinal
/// and given out.</item>
/// </list>
/// </summary>
public sealed class SchedulingCore
{
    private readonly ScheduleSpec schedule;
    private readonly SchedulerOptions options;
    private readonly ITrialSource source;
    private readonly IStoppingRule? rule;
    private readonly List<Entry> order = [];
    private readonly Dictionary<string, Entry> byId = new(StringComparer.Ordinal);
    private RungLedger? ledger;
    private int nextOrdinal;
    private bool cancelled;

    public SchedulingCore(ScheduleSpec schedule, SchedulerOptions options, ITrialSource source)
    {
        options.Validate();
        this.schedule = schedule;
        this.options = options;
        this.source = source;
        rule = StoppingRules.For(schedule);
    }

    /// <summary>True once every trial has ended and the source has no more, or the sweep was cancelled.</summary>
    public bool IsDone => cancelled || (order.TrueForAll(e => e.Phase == TrialPhase.Ended) && source.Exhausted(View()));

    /// <summary>The phase of a trial of the sweep (for tests and the display).</summary>
    public TrialPhase PhaseOf(string trialId) => byId[trialId].Phase;

    /// <summary>The current attempt of a trial (the last one begun).</summary>
    public int AttemptOf(string trialId) => byId[trialId].Attempt;

    /// <summary>Trials of the sweep in sweep order.</summary>
    public IReadOnlyList<ResolvedTrial> Trials => [.. order.Select(e => e.Trial)];

    /// <summary>
    /// Takes the sweep as stored: its trials in sweep order (with their ordinals), and the decisions already made.
    /// Trials still to run are given out (or followed, where an earlier client gave them out), and the source asked
    /// for what it proposes.
    /// </summary>
    public IReadOnlyList<SchedulerAction> Start(IReadOnlyList<(KnownTrial Trial, int Ordinal)> trials, IReadOnlyList<RungDecision> decisions)
    {
        if (order.Count > 0) throw new InvalidOperationException("the core has started already");
        var actions = new List<SchedulerAction>();
        foreach (var (known, ordinal) in trials)
        {
            var entry = new Entry(known.Trial)
            {
                Attempt = known.Attempts, Failures = known.Failures, Epochs = known.Curve.Count,
                LastEpoch = known.Curve.Count > 0 ? known.Curve[^1] : null,
            };
            entry.Outcome = known.Outcome;
            entry.Phase = Drives(known.Status) ? TrialPhase.Given : TrialPhase.Ended;
            order.Add(entry);
            byId.Add(known.Trial.Id, entry);
            nextOrdinal = Math.Max(nextOrdinal, ordinal + 1);
        }

        if (rule is not null)
        {
            ledger = new RungLedger(rule, schedule, order.Select(e => (e.Trial.Id, e.Trial.Config.Epochs)));
            foreach (var (known, _) in trials)
            {
                for (var i = 0; i < known.Curve.Count; i++) ledger.RecordEpoch(known.Trial.Id, i + 1, known.Curve[i]);
                if (!Drives(known.Status)) ledger.End(known.Trial.Id);
            }
            foreach (var d in decisions.Where(d => byId.ContainsKey(d.TrialId))) ledger.Record(d);
        }

        foreach (var (known, _) in trials)
        {
            var entry = byId[known.Trial.Id];
            if (entry.Phase != TrialPhase.Given) continue;
            // An earlier client gave this attempt out; it may still be running on a silo.
            if (known.Status == TrialStatus.Running && known.Attempts > 0) actions.Add(new Follow(entry.Trial.Id, entry.Attempt));
            else Advance(entry, actions);
        }

        if (schedule.EvaluatePruned)
            foreach (var (known, _) in trials)
                if (known.Status == TrialStatus.Pruned && known.NeedsEstimate) Evaluate(byId[known.Trial.Id], actions);
        Settle(actions);
        return actions;
    }

    /// <summary>One event of an attempt, as received: the actions that store it and follow from it.</summary>
    public IReadOnlyList<SchedulerAction> Handle(TrialEvent e)
    {
        var actions = new List<SchedulerAction>();
        if (cancelled || !byId.TryGetValue(e.TrialId, out var entry)) return actions;
        // A trial not on a silo now (ended, or parked at a rung) takes nothing: a redelivered event, a release of a silo lost after.
        if (entry.Phase is not (TrialPhase.Given or TrialPhase.Evaluating)) return actions;
        if (e.Attempt != entry.Attempt)
        {
            // A duplicate of work this client has already given out again: stop it early.
            if (e is TrialStarted && e.Attempt < entry.Attempt) actions.Add(new CancelAttempt(e.TrialId, e.Attempt));
            return actions;
        }

        if (entry.Phase == TrialPhase.Evaluating) HandleEvaluation(entry, e, actions);
        else HandleTraining(entry, e, actions);
        return actions;
    }

    /// <summary>Another process cancelled the sweep: stop every attempt this run has out.</summary>
    public IReadOnlyList<SchedulerAction> Cancel()
    {
        cancelled = true;
        return [.. order.Where(e => e.Phase is TrialPhase.Given or TrialPhase.Evaluating).Select(e => new CancelAttempt(e.Trial.Id, e.Attempt))];
    }

    private void HandleTraining(Entry entry, TrialEvent e, List<SchedulerAction> actions)
    {
        switch (e)
        {
            case TrialStarted or CheckpointSaved:
                actions.Add(new RecordEvent(e));
                break;
            case EpochCompleted ep:
                actions.Add(new RecordEvent(ep));
                if (ep.Metrics.Epoch >= entry.Epochs) entry.LastEpoch = ep.Metrics;
                entry.Epochs = Math.Max(entry.Epochs, ep.Metrics.Epoch);
                if (ledger is null) break;
                ledger.RecordEpoch(ep.TrialId, ep.Metrics.Epoch, ep.Metrics);
                Settle(actions);
                break;
            case TrialPaused:
                actions.Add(new RecordEvent(e));
                Advance(entry, actions);
                Settle(actions);
                break;
            case TrialFinished f:
                actions.Add(new RecordEvent(f));
                Close(entry, TrialOutcome.Finished(new TrialNumbers(f.Validation, entry.LastEpoch, f.Seconds), entry.Trial.Config.Epochs), actions);
                break;
            case TrialDiverged:
                actions.Add(new RecordEvent(e));
                Close(entry, TrialOutcome.Bad, actions);
                break;
            case TrialFailed failed:
                actions.Add(new RecordFailure(failed));
                entry.Failures++;
                if (entry.Failures >= options.MaxFailures || Spent(entry) >= options.MaxAttempts)
                {
                    actions.Add(new GiveUp(failed.TrialId, failed.Attempt, $"{failed.Error} (after {entry.Failures} failed attempts)"));
                    Close(entry, TrialOutcome.Bad, actions);
                }
                else
                {
                    actions.Add(new ShowReleased(failed.TrialId));
                    Advance(entry, actions);
                }
                break;
            case TrialReleased r:
                actions.Add(new ShowReleased(r.TrialId));
                if (Spent(entry) >= options.MaxAttempts)
                {
                    actions.Add(new GiveUp(r.TrialId, r.Attempt, $"gave up after {entry.Attempt} attempts; the last ended: {r.Reason}"));
                    Close(entry, TrialOutcome.Bad, actions);
                }
                else
                {
                    Advance(entry, actions);
                }
                break;
        }
    }

    private void HandleEvaluation(Entry entry, TrialEvent e, List<SchedulerAction> actions)
    {
        switch (e)
        {
            case TrialStarted s:
                actions.Add(new ShowEvaluating(s));
                break;
            case TrialFinished f:
                actions.Add(new RecordEvaluation(f));
                actions.Add(new ShowReleased(f.TrialId));
                entry.Phase = TrialPhase.Ended;
                break;
            case TrialFailed or TrialDiverged:
                // It stays pruned, without an estimate; a later run tries again.
                actions.Add(new ShowReleased(e.TrialId));
                entry.Phase = TrialPhase.Ended;
                break;
            case TrialReleased:
                Evaluate(entry, actions);
                break;
        }
    }

    /// <summary>Attempts used up by failures and losses: those begun after a decision at a rung are not.</summary>
    private int Spent(Entry entry) => entry.Attempt - (ledger?.DecisionCount(entry.Trial.Id) ?? 0);

    /// <summary>Gives the trial out to its next rung (or to the end), or parks it where it waits for a decision.</summary>
    private void Advance(Entry entry, List<SchedulerAction> actions)
    {
        if (ledger?.WaitingAt(entry.Trial.Id) is { } rung)
        {
            entry.Phase = TrialPhase.Parked;
            entry.Rung = rung;
            return;
        }
        entry.Phase = TrialPhase.Given;
        entry.Attempt++;
        actions.Add(new GiveOut(entry.Trial.Id, entry.Attempt, AttemptKind.Train, ledger?.NextRung(entry.Trial.Id), FinishAt: null));
    }

    /// <summary>Gives out a pruned trial to estimate its held-out likelihood at the rung where it stopped.</summary>
    private void Evaluate(Entry entry, List<SchedulerAction> actions)
    {
        entry.Phase = TrialPhase.Evaluating;
        entry.Attempt++;
        actions.Add(new GiveOut(entry.Trial.Id, entry.Attempt, AttemptKind.Evaluate, PauseAfter: null, FinishAt: entry.Epochs));
    }

    /// <summary>
    /// Judges every parked trial that can be judged now, in sweep order (a decision only ever unblocks later
    /// trials), then continues or prunes it; then asks the source for what it proposes now.
    /// </summary>
    private void Settle(List<SchedulerAction> actions)
    {
        for (var decided = ledger is not null; decided;)
        {
            decided = false;
            foreach (var entry in order)
            {
                if (entry.Phase != TrialPhase.Parked || ledger!.TryDecide(entry.Trial.Id, entry.Rung) is not { } decision) continue;
                decided = true;
                var epochs = entry.Trial.Config.Epochs;
                var prune = decision.Verdict == RungVerdict.Prune;
                actions.Add(new RecordDecision(decision, KeepCheckpoint: schedule.EvaluatePruned, EpochsSkipped: prune ? epochs - entry.Rung : 0));
                ledger.Record(decision);
                if (!prune)
                {
                    Advance(entry, actions);
                    continue;
                }
                entry.Epochs = entry.Rung;
                entry.Outcome = TrialOutcome.Pruned(decision.Score ?? double.NaN, entry.Rung);
                if (schedule.EvaluatePruned) Evaluate(entry, actions);
                else entry.Phase = TrialPhase.Ended;
            }
        }
        Propose(actions);
    }

    /// <summary>Adds what the source proposes now, each stored at the next ordinal and given out.</summary>
    private void Propose(List<SchedulerAction> actions)
    {
        if (cancelled) return;
        foreach (var trial in source.Propose(View()))
        {
            if (byId.ContainsKey(trial.Id))
                throw new InvalidOperationException($"the trial source proposed trial {trial.ShortId}, which the sweep has already");
            var entry = new Entry(trial) { Phase = TrialPhase.Given };
            order.Add(entry);
            byId.Add(trial.Id, entry);
            ledger?.Add(trial.Id, trial.Config.Epochs);
            actions.Add(new AddTrial(trial, nextOrdinal++));
            Advance(entry, actions);
        }
    }

    /// <summary>The trial ended (finished, diverged, failed): no more epochs of it will come for the ledger either.</summary>
    private void Close(Entry entry, TrialOutcome outcome, List<SchedulerAction> actions)
    {
        entry.Phase = TrialPhase.Ended;
        entry.Outcome = outcome;
        ledger?.End(entry.Trial.Id);
        Settle(actions);
    }

    private SweepView View() => new([.. order.Select(e => new SourceTrial(e.Trial, e.Phase == TrialPhase.Ended ? e.Outcome ?? TrialOutcome.Bad : e.Phase == TrialPhase.Evaluating ? e.Outcome : null))]);

    /// <summary>Statuses whose trials this run takes on: not started, interrupted, or paused at a rung.</summary>
    private static bool Drives(TrialStatus status) => status is TrialStatus.Pending or TrialStatus.Running or TrialStatus.Paused;

    private sealed class Entry(ResolvedTrial trial)
    {
        public ResolvedTrial Trial { get; } = trial;
        public TrialPhase Phase { get; set; }
        /// <summary>The attempt last begun (0: none yet).</summary>
        public int Attempt { get; set; }
        public int Failures { get; set; }
        /// <summary>Epochs stored (up to the rung, for a pruned trial).</summary>
        public int Epochs { get; set; }
        /// <summary>The rung where a parked trial waits.</summary>
        public int Rung { get; set; }
        /// <summary>The metrics of the latest epoch stored: what a finished trial's objective may read.</summary>
        public Model.EpochMetrics? LastEpoch { get; set; }
        public TrialOutcome? Outcome { get; set; }
    }
}
