using VaeSweep.Client.Ranking;
using VaeSweep.Client.Search;

namespace VaeSweep.Client.Scheduling.Sources;

/// <summary>How an ended trial did, as a source learns it.</summary>
public enum OutcomeKind
{
    /// <summary>Diverged, failed or cancelled: worse than anything that produced a number.</summary>
    Bad,
    /// <summary>Stopped early at <see cref="TrialOutcome.Epochs"/> with <see cref="TrialOutcome.RungValue"/> reached there.</summary>
    Pruned,
    /// <summary>Trained to the end; <see cref="TrialOutcome.Numbers"/> holds what it measured.</summary>
    Finished,
}

/// <summary>What an ended trial reached. The core records the numbers; the source decides what they are worth.</summary>
/// <param name="Numbers">A finished trial's validation estimate, last epoch and seconds; null otherwise.</param>
/// <param name="RungValue">A pruned trial's score at its rung: the schedule's metric there (a validation ELBO, as
/// Optuna lets a pruned trial's last intermediate value inform its TPE); NaN when none was recorded or not pruned.</param>
/// <param name="Epochs">Epochs trained: all of them for a finished trial, the rung for a pruned one.</param>
public sealed record TrialOutcome(OutcomeKind Kind, TrialNumbers? Numbers, double RungValue, int Epochs)
{
    public static TrialOutcome Bad { get; } = new(OutcomeKind.Bad, null, double.NaN, 0);

    public static TrialOutcome Finished(TrialNumbers numbers, int epochs) => new(OutcomeKind.Finished, numbers, double.NaN, epochs);

    public static TrialOutcome Pruned(double rungValue, int rung) => new(OutcomeKind.Pruned, null, rungValue, rung);

    /// <summary>
    /// What a search learns: a finished trial's <paramref name="objective"/> score (bad when it has none or breaks a
    /// constraint), a pruned trial's depth and rung value, or bad. See <see cref="SearchScore"/> for the order.
    /// </summary>
    public SearchScore ScoreBy(Objective objective) => Kind switch
    {
        OutcomeKind.Finished when Numbers is not null && objective.Score(Numbers) is { } score => SearchScore.Finished(score),
        OutcomeKind.Pruned => SearchScore.Pruned(Epochs, RungValue),
        _ => SearchScore.Bad,
    };
}
