using VaeSweep.Client.Progress;
using VaeSweep.Client.Scheduling.Stopping;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
using VaeSweep.Grains.Contracts;
using VaeSweep.Silo;

namespace VaeSweep.Client.Scheduling;

/// <summary>
/// Drives one sweep to its end: gives every unfinished trial to the runner, stores each event before
/// acknowledging it, retries failed attempts from their last checkpoint, and ignores events of attempts
/// it has moved past. The only writer of the results database while a sweep runs. Under an early-stopping
/// schedule it gives trials out one rung at a time: a trial pauses at each rung, and the client continues or
/// prunes it once the <see cref="RungLedger"/> can judge it there.
/// </summary>
public sealed class SweepScheduler
{
    private readonly ResultsStore store;
    private readonly ITrialRunner runner;
    private readonly SchedulerOptions options;
    private readonly Dictionary<string, ResolvedTrial> trials;
    private readonly Dictionary<string, int> currentAttempt = new();
    private readonly HashSet<string> open = new();
    private readonly string sweep;
    private readonly SweepProgress progress;
    private readonly TimeProvider time;
    private readonly ScheduleSpec schedule;
    private readonly IReadOnlyList<string> sweepOrder;
    private readonly RungLedger? ledger;

    // Trials waiting at a rung for the decision there, by the rung.
    private readonly Dictionary<string, int> parked = new();

    // Pruned trials whose current attempt only estimates their held-out likelihood at the rung.
    private readonly HashSet<string> evaluating = new();

    public SweepScheduler(ResultsStore store, ITrialRunner runner, SweepSpec spec, SweepProgress progress, SchedulerOptions options, TimeProvider time)
    {
        this.time = time;
        options.Validate();
        this.store = store;
        this.runner = runner;
        this.options = options;
        this.progress = progress;
        sweep = spec.Name;
        trials = spec.Expand().ToDictionary(t => t.Id);
        sweepOrder = spec.Expand().Select(t => t.Id).ToList();
        schedule = spec.Schedule;
        if (StoppingRules.For(schedule) is { } rule)
            ledger = new RungLedger(rule, schedule, spec.Expand().Select(t => (t.Id, t.Config.Epochs)));
    }

    /// <summary>Runs until every trial of the sweep is finished, pruned, failed or diverged, or the sweep is cancelled.</summary>
    public async Task<SweepOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var unfinished = store.PendingTrials(sweep);
        progress.PlanEpochs(unfinished.Sum(t => t.Epochs - store.EpochsOf(t.TrialId).Count));
        if (ledger is not null) LoadLedger(unfinished);
        foreach (var t in unfinished)
        {
            open.Add(t.TrialId);
            if (t.Status == TrialStatus.Running && t.Attempts > 0)
            {
                // An earlier client gave this attempt out; it may still be running on a silo.
                currentAttempt[t.TrialId] = t.Attempts;
                await runner.WatchAsync(t.TrialId, t.Attempts, cancellationToken);
            }
            else
            {
                await AdvanceAsync(t.TrialId, cancellationToken);
            }
        }

        if (schedule.EvaluatePruned)
            foreach (var id in store.PrunedWithoutEstimate(sweep).Where(trials.ContainsKey))
            {
                open.Add(id);
                await EvaluateAsync(id, cancellationToken);
            }
        await SettleAsync(cancellationToken);

        // Our own token for the reader, so the pending read can be ended before the enumerator is disposed.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = runner.ReadEventsAsync(reading.Token).GetAsyncEnumerator(reading.Token);
        var next = events.MoveNextAsync().AsTask();
        try
        {
            var lastTick = time.GetTimestamp();
            var tick = Task.Delay(options.Tick, time, cancellationToken);
            while (open.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // One timer at a time, not one per event: a busy stream would otherwise leave thousands pending.
                if (tick.IsCompleted) tick = Task.Delay(options.Tick, time, cancellationToken);
                if (await Task.WhenAny(next, tick) == next)
                {
                    if (!await next) break;
                    await ApplyAsync(events.Current.Event, cancellationToken);
                    await events.Current.AcknowledgeAsync();
                    next = events.MoveNextAsync().AsTask();
                }

                // Ticks are due by the clock, not by quiet: a busy stream of epochs must not starve them.
                if (time.GetElapsedTime(lastTick) < options.Tick) continue;
                lastTick = time.GetTimestamp();
                if (await OnTickAsync(cancellationToken)) return SweepOutcome.Cancelled;
            }
        }
        finally
        {
            await reading.CancelAsync();
            await next.ContinueWith(static _ => { }, TaskScheduler.Default);
            await events.DisposeAsync();
        }

        // The silos as last heard, even when the whole sweep took less than one tick.
        RecordSilos();
        if (store.GetSweep(sweep)?.Status == SweepStatus.Cancelled) return SweepOutcome.Cancelled;
        var final = store.TrialsOf(sweep);
        store.SetSweepStatus(sweep, SweepStatus.Finished);
        return final.Any(t => t.Status is TrialStatus.Failed or TrialStatus.Diverged) ? SweepOutcome.SomeFailed : SweepOutcome.Finished;
    }

    private async Task ApplyAsync(TrialEvent e, CancellationToken cancellationToken)
    {
        if (!trials.ContainsKey(e.TrialId) || !currentAttempt.TryGetValue(e.TrialId, out var attempt)) return;
        // A trial that ended here is done, whatever arrives late (a redelivered event, a release of a silo lost after).
        if (!open.Contains(e.TrialId)) return;
        if (e.Attempt != attempt)
        {
            // A duplicate of work this client has already given out again: stop it early.
            if (e is TrialStarted && e.Attempt < attempt) await runner.CancelAsync(e.TrialId, e.Attempt, cancellationToken);
            return;
        }

        if (evaluating.Contains(e.TrialId))
        {
            await ApplyEvaluationAsync(e, cancellationToken);
            return;
        }

        var label = trials[e.TrialId].ToString();
        switch (e)
        {
            case TrialStarted s:
                store.MarkStarted(s.TrialId, s.Attempt, s.Host, s.Engine);
                progress.Started(s.TrialId, label, s.Host, s.FromEpoch, trials[s.TrialId].Config.Epochs);
                break;
            case EpochCompleted ep:
                if (store.RecordEpoch(ep.TrialId, ep.Attempt, ep.Metrics) && ledger is not null)
                {
                    ledger.RecordEpoch(ep.TrialId, ep.Metrics.Epoch, ep.Metrics);
                    await SettleAsync(cancellationToken);
                }
                progress.Epoch(ep.TrialId, ep.Metrics.Epoch, ep.Metrics.ValidationElbo);
                break;
            case TrialPaused p:
                store.PauseTrial(p.TrialId, p.Attempt, p.Epoch);
                progress.Paused(p.TrialId);
                await AdvanceAsync(p.TrialId, cancellationToken);
                await SettleAsync(cancellationToken);
                break;
            case CheckpointSaved c:
                store.SaveCheckpoint(c.TrialId, c.Attempt, c.Epoch, c.State);
                break;
            case TrialFinished f:
                store.FinishTrial(f.TrialId, f.Attempt, f.Validation, f.Test, f.Seconds);
                Close(f.TrialId, f);
                await SettleAsync(cancellationToken);
                break;
            case TrialDiverged d:
                store.MarkDiverged(d.TrialId, d.Attempt, d.Epoch, d.Reason);
                Close(d.TrialId, d);
                await SettleAsync(cancellationToken);
                break;
            case TrialFailed failed:
                var failures = store.RecordFailure(failed.TrialId, failed.Attempt, failed.Error);
                if (failures >= options.MaxFailures || Spent(failed.TrialId, attempt) >= options.MaxAttempts)
                {
                    store.FailTrial(failed.TrialId, failed.Attempt, $"{failed.Error} (after {failures} failed attempts)");
                    Close(failed.TrialId, failed);
                    await SettleAsync(cancellationToken);
                }
                else
                {
                    progress.Released(failed.TrialId);
                    await AdvanceAsync(failed.TrialId, cancellationToken);
                }
                break;
            case TrialReleased r:
                progress.Released(r.TrialId);
                if (Spent(r.TrialId, attempt) >= options.MaxAttempts)
                {
                    store.FailTrial(r.TrialId, r.Attempt, $"gave up after {attempt} attempts; the last ended: {r.Reason}");
                    Close(r.TrialId, new TrialFailed(r.TrialId, r.Attempt, r.Reason));
                    await SettleAsync(cancellationToken);
                }
                else
                {
                    await AdvanceAsync(r.TrialId, cancellationToken);
                }
                break;
        }
    }

    /// <summary>Attempts used up by failures and losses: those begun after a decision at a rung are not.</summary>
    private int Spent(string trialId, int attempt) => attempt - (ledger?.DecisionCount(trialId) ?? 0);

    /// <summary>Reads what earlier runs stored: every trial's curve, decisions, and which can train no more.</summary>
    private void LoadLedger(IReadOnlyList<TrialRecord> unfinished)
    {
        var stillToRun = unfinished.Select(t => t.TrialId).ToHashSet();
        var epochs = store.EpochsOfSweep(sweep);
        foreach (var id in sweepOrder)
        {
            if (epochs.TryGetValue(id, out var curve))
                foreach (var e in curve)
                    ledger!.RecordEpoch(id, e.Metrics.Epoch, e.Metrics);
            if (!stillToRun.Contains(id)) ledger!.End(id);
        }
        foreach (var decision in store.DecisionsOf(sweep).Where(d => trials.ContainsKey(d.TrialId)))
            ledger!.Record(decision);
    }

    /// <summary>Gives the trial out to its next rung, or parks it where it waits for a decision.</summary>
    private async Task AdvanceAsync(string trialId, CancellationToken cancellationToken)
    {
        if (ledger?.WaitingAt(trialId) is { } rung)
        {
            parked[trialId] = rung;
            return;
        }
        await SubmitAsync(trialId, ledger?.NextRung(trialId), cancellationToken);
    }

    /// <summary>
    /// Judges every parked trial that can be judged now, in sweep order (a decision only ever unblocks later
    /// trials), then continues or prunes it.
    /// </summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        if (ledger is null) return;
        for (var decided = true; decided && parked.Count > 0;)
        {
            decided = false;
            foreach (var id in sweepOrder)
            {
                if (!parked.TryGetValue(id, out var rung) || ledger.TryDecide(id, rung) is not { } decision) continue;
                decided = true;
                parked.Remove(id);
                store.RecordDecision(sweep, decision, keepCheckpoint: schedule.EvaluatePruned);
                ledger.Record(decision);
                if (decision.Verdict == RungVerdict.Continue)
                {
                    await AdvanceAsync(id, cancellationToken);
                    continue;
                }
                progress.Pruned(id, trials[id].Config.Epochs - rung);
                if (schedule.EvaluatePruned) await EvaluateAsync(id, cancellationToken);
                else open.Remove(id);
            }
        }
    }

    /// <summary>Gives out a pruned trial to estimate its held-out likelihood at the rung where it stopped.</summary>
    private async Task EvaluateAsync(string trialId, CancellationToken cancellationToken)
    {
        if (store.GetSweep(sweep)?.Status == SweepStatus.Cancelled)
        {
            open.Remove(trialId);
            return;
        }
        var rung = store.EpochsOf(trialId).Count;
        var attempt = store.BeginEvaluation(trialId, host: "");
        currentAttempt[trialId] = attempt;
        evaluating.Add(trialId);
        // A checkpoint past the rung (from a client that died before deciding) would evaluate the wrong weights.
        var checkpoint = store.LatestCheckpoint(trialId) is { } c && c.Epoch <= rung ? c : null;
        await runner.SubmitAsync(Work(trialId, attempt, checkpoint, pauseAfter: null, finishAt: rung), cancellationToken);
    }

    private async Task ApplyEvaluationAsync(TrialEvent e, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case TrialStarted s:
                progress.Started(s.TrialId, $"{trials[s.TrialId]} (evaluating)", s.Host, s.FromEpoch, s.FromEpoch);
                break;
            case TrialFinished f:
                store.FinishPruned(f.TrialId, f.Attempt, f.Validation, f.Test);
                EndEvaluation(f.TrialId);
                break;
            case TrialFailed or TrialDiverged:
                // It stays pruned, without an estimate; a later run tries again.
                EndEvaluation(e.TrialId);
                break;
            case TrialReleased:
                evaluating.Remove(e.TrialId);
                await EvaluateAsync(e.TrialId, cancellationToken);
                break;
        }
    }

    private void EndEvaluation(string trialId)
    {
        evaluating.Remove(trialId);
        open.Remove(trialId);
        progress.Released(trialId);
    }

    private async Task SubmitAsync(string trialId, int? pauseAfter, CancellationToken cancellationToken)
    {
        // A cancel from another process may land between ticks; never give out work it has stopped.
        if (store.GetSweep(sweep)?.Status == SweepStatus.Cancelled)
        {
            open.Remove(trialId);
            progress.Released(trialId);
            return;
        }

        var attempt = store.BeginAttempt(trialId, host: "");
        currentAttempt[trialId] = attempt;
        await runner.SubmitAsync(Work(trialId, attempt, store.LatestCheckpoint(trialId), pauseAfter, finishAt: null), cancellationToken);
    }

    private TrialWork Work(string trialId, int attempt, CheckpointRecord? checkpoint, int? pauseAfter, int? finishAt)
    {
        var trial = trials[trialId];
        var d = trial.Dataset;
        return new TrialWork(sweep, trialId, attempt, trial.Config,
            d.ToRef(), checkpoint?.Bytes, pauseAfter, finishAt);
    }

    /// <summary>The trial ended (finished, diverged, failed): no more epochs of it will come for the ledger either.</summary>
    private void Close(string trialId, TrialEvent outcome)
    {
        open.Remove(trialId);
        ledger?.End(trialId);
        progress.Ended(trialId, outcome);
    }

    private void RecordSilos()
    {
        foreach (var silo in runner.Silos)
            store.Heartbeat(silo.Name, silo.Host, silo.Slots, silo.Running.Count);
    }

    /// <summary>Records silo heartbeats; true when another process cancelled the sweep.</summary>
    private async Task<bool> OnTickAsync(CancellationToken cancellationToken)
    {
        RecordSilos();
        if (store.GetSweep(sweep)?.Status != SweepStatus.Cancelled) return false;
        foreach (var id in open)
            await runner.CancelAsync(id, currentAttempt[id], cancellationToken);
        return true;
    }
}
