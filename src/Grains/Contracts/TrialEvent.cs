using System.Text.Json.Serialization;
using VaeSweep.Model;

namespace VaeSweep.Grains.Contracts;

/// <summary>
/// What a trial grain reports. Every event names its trial and attempt, so a receiver can apply it
/// idempotently and drop events from an attempt it no longer believes in.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TrialStarted), "started")]
[JsonDerivedType(typeof(EpochCompleted), "epoch")]
[JsonDerivedType(typeof(CheckpointSaved), "checkpoint")]
[JsonDerivedType(typeof(TrialFinished), "finished")]
[JsonDerivedType(typeof(TrialFailed), "failed")]
[JsonDerivedType(typeof(TrialDiverged), "diverged")]
[JsonDerivedType(typeof(TrialReleased), "released")]
public abstract record TrialEvent(string TrialId, int Attempt);

/// <param name="Host">The silo running it.</param>
/// <param name="FromEpoch">Epochs already done when it started (from a checkpoint).</param>
/// <param name="Engine">The silo's <see cref="EngineInfo.Descriptor"/>; null from a silo that predates it.</param>
public sealed record TrialStarted(string TrialId, int Attempt, string Host, int FromEpoch, string? Engine = null) : TrialEvent(TrialId, Attempt);

public sealed record EpochCompleted(string TrialId, int Attempt, EpochMetrics Metrics) : TrialEvent(TrialId, Attempt);

/// <param name="Epoch">Epochs completed in the saved state.</param>
public sealed record CheckpointSaved(string TrialId, int Attempt, int Epoch, byte[] State) : TrialEvent(TrialId, Attempt);

/// <param name="Seconds">Wall time of this attempt's training and evaluation.</param>
public sealed record TrialFinished(
    string TrialId,
    int Attempt,
    LogLikelihoodEstimate Validation,
    LogLikelihoodEstimate Test,
    double Seconds) : TrialEvent(TrialId, Attempt);

/// <summary>The attempt threw; the scheduler decides whether another attempt follows.</summary>
public sealed record TrialFailed(string TrialId, int Attempt, string Error) : TrialEvent(TrialId, Attempt);

/// <summary>Training produced NaN or infinity: a property of the configuration, not retried.</summary>
public sealed record TrialDiverged(string TrialId, int Attempt, int Epoch, string Reason) : TrialEvent(TrialId, Attempt);

/// <summary>The host stopped the attempt before it ended (shutdown or cancellation); it may run again elsewhere.</summary>
public sealed record TrialReleased(string TrialId, int Attempt, string Reason) : TrialEvent(TrialId, Attempt);
