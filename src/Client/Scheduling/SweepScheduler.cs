using VaeSweep.Client.Progress;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
using VaeSweep.Grains.Contracts;
using VaeSweep.Silo;

namespace VaeSweep.Client.Scheduling;

/// <summary>
/// Drives one sweep to its end: gives every unfinished trial to the runner, stores each event before
/// acknowledging it, retries failed attempts from their last checkpoint, and ignores events of attempts
/// it has moved past. The only writer of the results database while a sweep runs.
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
    }

    /// <summary>Runs until every trial of the sweep is finished, failed or diverged, or the sweep is cancelled.</summary>
    public async Task<SweepOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var unfinished = store.PendingTrials(sweep);
        progress.PlanEpochs(unfinished.Sum(t => t.Epochs - store.EpochsOf(t.TrialId).Count));
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
                await SubmitAsync(t.TrialId, cancellationToken);
            }
        }

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

        var label = trials[e.TrialId].ToString();
        switch (e)
        {
            case TrialStarted s:
                store.MarkStarted(s.TrialId, s.Attempt, s.Host, s.Engine);
                progress.Started(s.TrialId, label, s.Host, s.FromEpoch, trials[s.TrialId].Config.Epochs);
                break;
            case EpochCompleted ep:
                store.RecordEpoch(ep.TrialId, ep.Attempt, ep.Metrics);
                progress.Epoch(ep.TrialId, ep.Metrics.Epoch, ep.Metrics.ValidationElbo);
                break;
            case CheckpointSaved c:
                store.SaveCheckpoint(c.TrialId, c.Attempt, c.Epoch, c.State);
                break;
            case TrialFinished f:
                store.FinishTrial(f.TrialId, f.Attempt, f.Validation, f.Test, f.Seconds);
                Close(f.TrialId, f);
                break;
            case TrialDiverged d:
                store.MarkDiverged(d.TrialId, d.Attempt, d.Epoch, d.Reason);
                Close(d.TrialId, d);
                break;
            case TrialFailed failed:
                var failures = store.RecordFailure(failed.TrialId, failed.Attempt, failed.Error);
                if (failures >= options.MaxFailures || attempt >= options.MaxAttempts)
                {
                    store.FailTrial(failed.TrialId, failed.Attempt, $"{failed.Error} (after {failures} failed attempts)");
                    Close(failed.TrialId, failed);
                }
                else
                {
                    progress.Released(failed.TrialId);
                    await SubmitAsync(failed.TrialId, cancellationToken);
                }
                break;
            case TrialReleased r:
                progress.Released(r.TrialId);
                if (attempt >= options.MaxAttempts)
                {
                    store.FailTrial(r.TrialId, r.Attempt, $"gave up after {attempt} attempts; the last ended: {r.Reason}");
                    Close(r.TrialId, new TrialFailed(r.TrialId, r.Attempt, r.Reason));
                }
                else
                {
                    await SubmitAsync(r.TrialId, cancellationToken);
                }
                break;
        }
    }

    private async Task SubmitAsync(string trialId, CancellationToken cancellationToken)
    {
        // A cancel from another process may land between ticks; never give out work it has stopped.
        if (store.GetSweep(sweep)?.Status == SweepStatus.Cancelled)
        {
            open.Remove(trialId);
            progress.Released(trialId);
            return;
        }

        var trial = trials[trialId];
        var attempt = store.BeginAttempt(trialId, host: "");
        currentAttempt[trialId] = attempt;
        var checkpoint = store.LatestCheckpoint(trialId);
        var d = trial.Dataset;
        var work = new TrialWork(sweep, trialId, attempt, trial.Config,
            new DatasetRef(d.Name, d.Path, d.Validation, d.SplitSeed, d.Limit), checkpoint?.Bytes);
        await runner.SubmitAsync(work, cancellationToken);
    }

    private void Close(string trialId, TrialEvent outcome)
    {
        open.Remove(trialId);
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
