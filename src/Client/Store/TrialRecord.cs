namespace VaeSweep.Client.Store;

/// <summary>
/// A stored trial. <see cref="SweepId"/> is the sweep that first added it; a trial shared by several
/// sweeps (same resolved config, same id) is one row, linked to each through sweep_trials.
/// </summary>
/// <param name="Ordinal">Position in the sweep it was listed for (its first sweep when looked up by id).</param>
/// <param name="Attempts">How many attempts were begun (given out); the current attempt is this number (0 = never begun).</param>
/// <param name="Error">Why it failed or diverged; null otherwise.</param>
/// <param name="StartedAttempts">How many of those attempts a worker actually started (see attempt_starts): an attempt
/// given out and lost before it started, e.g. queued on a silo that died, counts in <paramref name="Attempts"/> only.</param>
/// <param name="Engine">The engine build(s) that trained it (<c>EngineInfo.Descriptor</c>, ' + ' between different ones); null if unknown.</param>
public sealed record TrialRecord(
    string TrialId,
    long SweepId,
    int Ordinal,
    TrialStatus Status,
    int Attempts,
    string? Host,
    int Latent,
    double Sigma,
    double Beta,
    double LearningRate,
    string Hidden,
    string Activation,
    string Likelihood,
    int Epochs,
    int BatchSize,
    int Seed,
    string ConfigJson,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? Seconds,
    string? Error,
    int? DivergedEpoch,
    string? Engine = null,
    int StartedAttempts = 0);
