using VaeSweep.Model;

namespace VaeSweep.Client.Search;

/// <summary>A trial whose result the search learns from.</summary>
/// <param name="Index">The trial's 0-based position in the sweep (its ordinal); orders the trials for the recency weights.</param>
/// <param name="Score">How good it was: the sweep's objective for a finished trial, what a pruned one reached, or bad.</param>
public sealed record Observation(int Index, TrialConfig Config, SearchScore Score);

/// <summary>A trial proposed but not learnt from (running, or within the lag): it counts as a bad result.</summary>
public sealed record PendingTrial(int Index, TrialConfig Config);
