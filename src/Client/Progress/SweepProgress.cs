using VaeSweep.Contracts;

namespace VaeSweep.Client.Progress;

/// <summary>
/// What the sweep looks like right now, fed by the scheduler as it stores events and read by a view.
/// Guarded by one lock: updates come from the scheduler loop, reads from the render loop.
/// </summary>
public sealed class SweepProgress(string sweep, int total, int alreadyDone, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, RunningRow> running = new();
    // When each running trial last reported (started or an epoch): an epoch's time on its slot is the gap to the next.
    private readonly Dictionary<string, long> lastHeard = new();
    private readonly long started = time.GetTimestamp();
    private readonly EtaEstimate eta = new(time);
    private int finished = alreadyDone;
    private int failed;
    private int diverged;
    private int pruned;
    private int epochsLeft;

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
        lock (gate)
        {
            running[trialId] = new RunningRow(label, host, fromEpoch, epochs, null);
            lastHeard[trialId] = time.GetTimestamp();
        }
    }

    public void Epoch(string trialId, int epoch, double validationElbo)
    {
        lock (gate)
        {
            epochsLeft = Math.Max(0, epochsLeft - 1);
            if (running.TryGetValue(trialId, out var row)) running[trialId] = row with { Epoch = epoch, Elbo = validationElbo };
            if (lastHeard.TryGetValue(trialId, out var since)) eta.Epoch(time.GetElapsedTime(since).TotalSeconds);
            lastHeard[trialId] = time.GetTimestamp();
            eta.Running(running.Count);
            eta.Project(epochsLeft, Left());
        }
    }

    public void Ended(string trialId, TrialEvent outcome)
    {
        lock (gate)
        {
            running.Remove(trialId);
            if (lastHeard.Remove(trialId, out var since) && outcome is TrialFinished) eta.Estimate(time.GetElapsedTime(since).TotalSeconds);
            switch (outcome)
            {
                case TrialFinished: finished++; break;
                case TrialFailed: failed++; break;
                case TrialDiverged: diverged++; break;
            }
            eta.Project(epochsLeft, Left());
        }
    }

    /// <summary>The trial was stopped early; the epochs it will not train come off the plan.</summary>
    public void Pruned(string trialId, int epochsSkipped)
    {
        lock (gate)
        {
            running.Remove(trialId);
            lastHeard.Remove(trialId);
            pruned++;
            epochsLeft = Math.Max(0, epochsLeft - epochsSkipped);
            eta.Project(epochsLeft, Left());
        }
    }

    /// <summary>The trial stopped at a rung to wait for the decision there.</summary>
    public void Paused(string trialId) => Released(trialId);

    public void Released(string trialId)
    {
        lock (gate)
        {
            running.Remove(trialId);
            lastHeard.Remove(trialId);
        }
    }

    public Snapshot Read()
    {
        lock (gate)
            return new Snapshot(sweep, total, finished, failed, diverged, pruned, [.. running.Values.OrderBy(r => r.Label, StringComparer.Ordinal)],
                time.GetElapsedTime(started), eta.Left());
    }

    private int Left() => total - finished - pruned - failed - diverged;

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

        /// <summary>The part of the sweep done: ended trials whole, running ones by their epochs.</summary>
        public double Fraction => Total == 0 ? 1
            : Math.Clamp((Finished + Pruned + Failed + Diverged + Running.Sum(r => r.Epochs == 0 ? 0 : (double)r.Epoch / r.Epochs)) / Total, 0, 1);
    }
}
