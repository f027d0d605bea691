using VaeSweep.Model;

namespace VaeSweep.Contracts;

/// <summary>
/// What a trial grain reports. Every event names its trial and attempt, so a receiver can apply it
/// idempotently and drop events from an attempt it no longer believes in.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record TrialEvent([property: Id(0)] string TrialId, [property: Id(1)] int Attempt);

/// <param name="Host">The silo running it.</param>
/// <param name="FromEpoch">Epochs already done when it started (from a checkpoint).</param>
/// <param name="Engine">The engine that trains it (e.g. <see cref="EngineInfo.Descriptor"/>).</param>
[GenerateSerializer, Immutable]
public sealed record TrialStarted(string TrialId, int Attempt,
    [property: Id(0)] string Host, [property: Id(1)] int FromEpoch, [property: Id(2)] string? Engine = null) : TrialEvent(TrialId, Attempt);

/// <param name="Metrics">Serialised as JSON by the hosts.</param>
[GenerateSerializer, Immutable]
public sealed record EpochCompleted(string TrialId, int Attempt, [property: Id(0)] EpochMetrics Metrics) : TrialEvent(TrialId, Attempt);

/// <param name="Epoch">Epochs completed in the saved state.</param>
[GenerateSerializer, Immutable]
public sealed record CheckpointSaved(string TrialId, int Attempt, [property: Id(0)] int Epoch, [property: Id(1)] byte[] State) : TrialEvent(TrialId, Attempt);

/// <param name="Seconds">Wall time of this attempt's training and evaluation.</param>
[GenerateSerializer, Immutable]
public sealed record TrialFinished(
    string TrialId,
    int Attempt,
    [property: Id(0)] LogLikelihoodEstimate Validation,
    [property: Id(1)] LogLikelihoodEstimate Test,
    [property: Id(2)] double Seconds) : TrialEvent(TrialId, Attempt);

/// <summary>
/// The attempt stopped, as asked, after <paramref name="Epoch"/> epochs (its epoch and checkpoint came first) to wait
/// for an early-stopping decision; the client continues it from that checkpoint or prunes it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrialPaused(string TrialId, int Attempt, [property: Id(0)] int Epoch) : TrialEvent(TrialId, Attempt);

/// <summary>The attempt threw; the scheduler decides whether another attempt follows.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialFailed(string TrialId, int Attempt, [property: Id(0)] string Error) : TrialEvent(TrialId, Attempt);

/// <summary>Training produced NaN or infinity: a property of the configuration, not retried.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialDiverged(string TrialId, int Attempt, [property: Id(0)] int Epoch, [property: Id(1)] string Reason) : TrialEvent(TrialId, Attempt);

/// <summary>The attempt stopped before it ended (cancellation, shutdown, its silo lost); it may run again elsewhere.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialReleased(string TrialId, int Attempt, [property: Id(0)] string Reason) : TrialEvent(TrialId, Attempt);
