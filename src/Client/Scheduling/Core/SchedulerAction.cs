using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
using VaeSweep.Contracts;

namespace VaeSweep.Client.Scheduling.Core;

/// <summary>
/// What <see cref="SchedulingCore"/> asks its shell to do. Actions come in the order they must be carried out:
/// a trial is stored before it is given out, an event is stored before the decision it enables.
/// </summary>
public abstract record SchedulerAction;

/// <summary>Store a trial a source proposed in the sweep, at <paramref name="Ordinal"/> (the next free place).</summary>
public sealed record AddTrial(ResolvedTrial Trial, int Ordinal) : SchedulerAction;

/// <summary>What an attempt is for: training (to a rung, or to the end), or estimating a pruned trial at its rung.</summary>
public enum AttemptKind
{
    Train,
    Evaluate,
}

/// <summary>
/// Begin attempt <paramref name="Attempt"/> (the store's count of begun attempts plus one) and hand it to the runner,
/// from the trial's latest checkpoint (for <see cref="AttemptKind.Evaluate"/>: its latest at or before
/// <paramref name="FinishAt"/>).
/// </summary>
public sealed record GiveOut(string TrialId, int Attempt, AttemptKind Kind, int? PauseAfter, int? FinishAt) : SchedulerAction;

/// <summary>An earlier client gave this attempt out; follow it where it runs (the runner releases it if nowhere).</summary>
public sealed record Follow(string TrialId, int Attempt) : SchedulerAction;

/// <summary>Stop an attempt wherever it runs or waits.</summary>
public sealed record CancelAttempt(string TrialId, int Attempt) : SchedulerAction;

/// <summary>
/// Store an event of a training attempt (started, epoch, checkpoint, paused, finished, diverged) and show it.
/// </summary>
public sealed record RecordEvent(TrialEvent Event) : SchedulerAction;

/// <summary>Store that the attempt failed; another attempt follows.</summary>
public sealed record RecordFailure(TrialFailed Event) : SchedulerAction;

/// <summary>Mark the trial failed for good with <paramref name="Error"/>.</summary>
public sealed record GiveUp(string TrialId, int Attempt, string Error) : SchedulerAction;

/// <summary>Store an early-stopping decision (keeping the checkpoint of a pruned trial that is to be evaluated).</summary>
/// <param name="EpochsSkipped">For a prune: the epochs the trial will not train.</param>
public sealed record RecordDecision(RungDecision Decision, bool KeepCheckpoint, int EpochsSkipped) : SchedulerAction;

/// <summary>Store a pruned trial's estimate at its rung; it stays pruned.</summary>
public sealed record RecordEvaluation(TrialFinished Event) : SchedulerAction;

/// <summary>Only for the display: an evaluation attempt started.</summary>
public sealed record ShowEvaluating(TrialStarted Event) : SchedulerAction;

/// <summary>Only for the display: the trial is no longer on a silo (released, failed and waiting, or evaluated).</summary>
public sealed record ShowReleased(string TrialId) : SchedulerAction;
