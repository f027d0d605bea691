using VaeSweep.Grains.Contracts;

namespace VaeSweep.Client.Progress;

/// <summary>
/// What the sweep looks like right now, fed by the scheduler as it stores events and read by a view.
/// Guarded by one lock: updates come from the scheduler loop, reads from the render loop.
/// </summary>
public sealed class SweepProgress(string sweep, int total, int alreadyDone, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, RunningRow> running = new();
    private readonly long started = time.GetTimestamp();
    private int finished = alreadyDone;
    private int failed;
    private int diverged;
    private int pruned;
    private int epochsThisRun;
    private int epochsLeft;
    private int endedThisRun;

    public string Sweep => sweep;

    public void PlanEpochs(int epochs)
    {
        lock (gate) epochsLeft = epochs;
    }

    /// <summary>A trial counted in the total joined the sweep while it runs (an adaptive source proposed it): its epochs are to come.</summary>
    public void Planned(int epochs)
    {
        lock (gate) epochsLeft += epochs;
    }

    public void Started(string trialId, string label, string host, int fromEpoch, int epochs)
    {
        lock (gate) running[trialId] = new RunningRow(label, host, fromEpoch, epochs, null);
    }

    public void Epoch(string trialId, int epoch, double validationElbo)
    {
        lock (gate)
        {
            epochsThisRun++;
            epochsLeft = Math.Max(0, epochsLeft - 1);
            if (running.TryGetValue(trialId, out var row)) running[trialId] = row with { Epoch = epoch, Elbo = validationElbo };
        }
    }

    public void Ended(string trialId, TrialEvent outcome)
    {
        lock (gate)
        {
            running.Remove(trialId);
            endedThisRun++;
            switch (outcome)
            {
                case TrialFinished: finished++; break;
                case TrialFailed: failed++; break;
                case TrialDiverged: diverged++; break;
            }
        }
    }

    /// <summary>The trial was stopped early; the epochs it will not train come off the plan.</summary>
    public void Pruned(string trialId, int epochsSkipped)
    {
        lock (gate)
        {
            running.Remove(trialId);
            endedThisRun++;
            pruned++;
            epochsLeft = Math.Max(0, epochsLeft - epochsSkipped);
        }
    }

    /// <summary>The trial stopped at a rung to wait for the decision there.</summary>
    public void Paused(string trialId) => Released(trialId);

    public void Released(string trialId)
    {
        lock (gate) running.Remove(trialId);
    }

    public Snapshot Read()
    {
        lock (gate)
        {
            var elapsed = time.GetElapsedTime(started);
            var left = total - finished - pruned - failed - diverged;
            // Whole trials, once some have ended, since they include the held-out estimate that epochs miss;
            // until then, epochs (an underestimate by that estimate's time).
            TimeSpan? eta = endedThisRun > 0 ? elapsed / endedThisRun * left
                : epochsThisRun > 0 ? elapsed / epochsThisRun * epochsLeft
                : null;
            return new Snapshot(sweep, total, finished, failed, diverged, pruned, [.. running.Values.OrderBy(r => r.Label)], elapsed, eta);
        }
    }

    public sealed record RunningRow(string Label, string Host, int Epoch, int Epochs, double? Elbo);

    public sealed record Snapshot(
        string Sweep,
        int Total,
        int Finished,
        int Failed,
        int Diverged,
        int Pruned,
        IReadOnlyList<RunningRow> Running,
        TimeSpan Elapsed,
        TimeSpan? Eta)
    {
        public int Waiting => Total - Finished - Pruned - Failed - Diverged - Running.Count;
    }
}
