namespace VaeSweep.Client.Scheduling.Core;

/// <summary>Where one trial of the sweep stands in this run.</summary>
public enum TrialPhase
{
    /// <summary>Ended before this run, or in it (finished, pruned, diverged, failed): nothing more to do.</summary>
    Ended,
    /// <summary>Given out as its current attempt (waiting for a slot, or training on a silo).</summary>
    Given,
    /// <summary>Paused at a rung, waiting until the decision there can be made.</summary>
    Parked,
    /// <summary>Pruned, and its current attempt estimates its held-out likelihood at the rung.</summary>
    Evaluating,
}
