using VaeSweep.Client.Progress;
using VaeSweep.Client.Scheduling.Core;
using VaeSweep.Client.Scheduling.Sources;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
using VaeSweep.Contracts;
using VaeSweep.Silo;

namespace VaeSweep.Client.Scheduling;

/// <summary>
/// The shell around <see cref="SchedulingCore"/>: it loads the sweep from the store, feeds the core every event the
/// runner delivers and a cancel from another process, and carries out the actions the core returns against the
/// store, the runner and the display, acknowledging an event only once they are done. The only writer of the results
/// database while a sweep runs.
/// </summary>
public sealed class SweepScheduler
{
    private readonly ResultsStore store;
    private readonly ITrialRunner runner;
    private readonly SchedulerOptions options;
    private readonly string sweep;
    private readonly SweepProgress progress;
    private readonly TimeProvider time;
    private readonly ScheduleSpec schedule;
    private readonly ITrialSource source;
    private readonly Dictionary<string, ResolvedTrial> trials;

    // Attempts the core gave out that this shell held back because the sweep had been cancelled meanwhile.
    private readonly HashSet<(string Trial, int Attempt)> withheld = [];
    private bool cancelSeen;

    public SweepScheduler(ResultsStore store, ITrialRunner runner, SweepSpec spec, ITrialSource source, SweepProgress progress,
        SchedulerOptions options, TimeProvider time)
    {
        options.Validate();
        this.store = store;
        this.runner = runner;
        this.options = options;
        this.progress = progress;
        this.time = time;
        this.source = source;
        sweep = spec.Name;
        schedule = spec.Schedule;
        trials = spec.Expand().ToDictionary(t => t.Id, StringComparer.Ordinal);
    }

    /// <summary>Runs until every trial of the sweep is finished, pruned, failed or diverged, or the sweep is cancelled.</summary>
    public async Task<SweepOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var core = new SchedulingCore(schedule, options, source);
        var (known, decisions) = SweepLoader.Load(store, sweep, schedule, trials);
        foreach (var (k, _) in known) trials.TryAdd(k.Trial.Id, k.Trial);
        progress.PlanEpochs(known.Where(k => k.Trial.Outcome is null).Sum(k => k.Trial.Trial.Config.Epochs - k.Trial.Curve.Count));
        await ExecuteAsync(core, core.Start(known, decisions), cancellationToken);

        // Our own token for the reader, so the pending read can be ended before the enumerator is disposed.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = runner.ReadEventsAsync(reading.Token).GetAsyncEnumerator(reading.Token);
        var next = events.MoveNextAsync().AsTask();
        try
        {
            var lastTick = time.GetTimestamp();
            var tick = Task.Delay(options.Tick, time, cancellationToken);
            while (!core.IsDone)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // One timer at a time, not one per event: a busy stream would otherwise leave thousands pending.
                if (tick.IsCompleted) tick = Task.Delay(options.Tick, time, cancellationToken);
                if (await Task.WhenAny(next, tick) == next)
                {
                    if (!await next) break;
                    await ExecuteAsync(core, core.Handle(events.Current.Event), cancellationToken);
                    await events.Current.AcknowledgeAsync();
                    next = events.MoveNextAsync().AsTask();
                }

                // Ticks are due by the clock, not by quiet: a busy stream of epochs must not starve them.
                if (time.GetElapsedTime(lastTick) < options.Tick) continue;
                lastTick = time.GetTimestamp();
                RecordSilos();
                if (store.GetSweep(sweep)?.Status == SweepStatus.Cancelled) await CancelAsync(core, cancellationToken);
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
        if (cancelSeen || store.GetSweep(sweep)?.Status == SweepStatus.Cancelled) return SweepOutcome.Cancelled;
        var final = store.TrialsOf(sweep);
        store.SetSweepStatus(sweep, SweepStatus.Finished);
        return final.Any(t => t.Status is TrialStatus.Failed or TrialStatus.Diverged) ? SweepOutcome.SomeFailed : SweepOutcome.Finished;
    }

    private async Task CancelAsync(SchedulingCore core, CancellationToken cancellationToken)
    {
        cancelSeen = true;
        if (core.IsDone) return;
        foreach (var action in core.Cancel())
            if (action is CancelAttempt c && !withheld.Contains((c.TrialId, c.Attempt)))
                await runner.CancelAsync(c.TrialId, c.Attempt, cancellationToken);
    }

    private async Task ExecuteAsync(SchedulingCore core, IReadOnlyList<SchedulerAction> actions, CancellationToken cancellationToken)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case AddTrial a:
                    store.AddTrials(sweep, [NewTrial.From(a.Trial.Id, a.Ordinal, a.Trial.Config, a.Trial.CanonicalJson)]);
                    trials.TryAdd(a.Trial.Id, a.Trial);
                    progress.Planned(a.Trial.Config.Epochs);
                    break;
                case GiveOut g:
                    // A cancel from another process may land between ticks; never give out work it has stopped.
                    if (cancelSeen || store.GetSweep(sweep)?.Status == SweepStatus.Cancelled)
                    {
                        cancelSeen = true;
                        withheld.Add((g.TrialId, g.Attempt));
                        progress.Released(g.TrialId);
                        break;
                    }
                    await GiveOutAsync(g, cancellationToken);
                    break;
                case Follow f:
                    await runner.WatchAsync(f.TrialId, f.Attempt, cancellationToken);
                    break;
                case CancelAttempt c:
                    await runner.CancelAsync(c.TrialId, c.Attempt, cancellationToken);
                    break;
                case RecordEvent r:
                    Record(r.Event);
                    break;
                case RecordFailure f:
                    store.RecordFailure(f.Event.TrialId, f.Event.Attempt, f.Event.Error);
                    break;
                case GiveUp g:
                    store.FailTrial(g.TrialId, g.Attempt, g.Error);
                    progress.Ended(g.TrialId, new TrialFailed(g.TrialId, g.Attempt, g.Error));
                    break;
                case RecordDecision d:
                    store.RecordDecision(sweep, d.Decision, d.KeepCheckpoint);
                    if (d.Decision.Verdict == RungVerdict.Prune) progress.Pruned(d.Decision.TrialId, d.EpochsSkipped);
                    break;
                case RecordEvaluation e:
                    store.FinishPruned(e.Event.TrialId, e.Event.Attempt, e.Event.Validation, e.Event.Test);
                    break;
                case ShowEvaluating s:
                    progress.Started(s.Event.TrialId, $"{trials[s.Event.TrialId]} (evaluating)", s.Event.Host, s.Event.FromEpoch, s.Event.FromEpoch);
                    break;
                case ShowReleased r:
                    progress.Released(r.TrialId);
                    break;
                default:
                    throw new InvalidOperationException($"no shell for {action.GetType().Name}");
            }
        }
        if (cancelSeen) await CancelAsync(core, cancellationToken);
    }

    private async Task GiveOutAsync(GiveOut g, CancellationToken cancellationToken)
    {
        var attempt = g.Kind == AttemptKind.Train ? store.BeginAttempt(g.TrialId, host: "") : store.BeginEvaluation(g.TrialId, host: "");
        if (attempt != g.Attempt)
            throw new ResultsStoreException(
                $"{store.Path}: trial {g.TrialId} is at attempt {attempt} where this client expected {g.Attempt}; another client is writing the same sweep");
        var checkpoint = store.LatestCheckpoint(g.TrialId);
        // A checkpoint past the rung (from a client that died before deciding) would evaluate the wrong weights.
        if (g.FinishAt is { } rung && checkpoint is { } c && c.Epoch > rung) checkpoint = null;
        var trial = trials[g.TrialId];
        var work = new TrialWork(sweep, g.TrialId, g.Attempt, trial.Config, trial.Dataset.ToRef(), checkpoint?.Bytes, g.PauseAfter, g.FinishAt);
        await runner.SubmitAsync(work, cancellationToken);
    }

    private void Record(TrialEvent e)
    {
        switch (e)
        {
            case TrialStarted s:
                store.MarkStarted(s.TrialId, s.Attempt, s.Host, s.Engine);
                progress.Started(s.TrialId, trials[s.TrialId].ToString(), s.Host, s.FromEpoch, trials[s.TrialId].Config.Epochs);
                break;
            case EpochCompleted ep:
                store.RecordEpoch(ep.TrialId, ep.Attempt, ep.Metrics);
                progress.Epoch(ep.TrialId, ep.Metrics.Epoch, ep.Metrics.ValidationElbo);
                break;
            case CheckpointSaved c:
                store.SaveCheckpoint(c.TrialId, c.Attempt, c.Epoch, c.State);
                break;
            case TrialPaused p:
                store.PauseTrial(p.TrialId, p.Attempt, p.Epoch);
                progress.Paused(p.TrialId);
                break;
            case TrialFinished f:
                store.FinishTrial(f.TrialId, f.Attempt, f.Validation, f.Test, f.Seconds);
                progress.Ended(f.TrialId, f);
                break;
            case TrialDiverged d:
                store.MarkDiverged(d.TrialId, d.Attempt, d.Epoch, d.Reason);
                progress.Ended(d.TrialId, d);
                break;
            default:
                throw new InvalidOperationException($"no record for {e.GetType().Name}");
        }
    }

    private void RecordSilos()
    {
        foreach (var silo in runner.Silos)
            store.Heartbeat(silo.Name, silo.Host, silo.Slots, silo.Running.Count);
    }
}
