namespace VaeSweep.Client.Scheduling.Sources;

/// <summary>How an ended trial did, as a source learns it.</summary>
public enum OutcomeKind
{
    /// <summary>Diverged, failed or cancelled: worse than anything that produced a number.</summary>
    Bad,
    /// <summary>Stopped early at <see cref="TrialOutcome.Epochs"/> with <see cref="TrialOutcome.Value"/> reached there.</summary>
    Pruned,
    /// <summary>Trained to the end; <see cref="TrialOutcome.Value"/> is its held-out validation log-likelihood.</summary>
    Finished,
}

/// <summary>What an ended trial reached.</summary>
/// <param name="Value">Held-out validation LL for a finished trial; the schedule's metric at its rung for a pruned one
/// (a validation ELBO: a lower bound of what it would have reached, as Optuna lets a pruned trial's last intermediate
/// value inform its TPE); NaN for a bad one.</param>
public sealed record TrialOutcome(OutcomeKind Kind, double Value, int Epochs)
{
    public static TrialOutcome Bad { get; } = new(OutcomeKind.Bad, double.NaN, 0);

    /// <summary>The number a search maximises: the value, or −∞ for a trial without a finite one.</summary>
    public double Objective => Kind != OutcomeKind.Bad && double.IsFinite(Value) ? Value : double.NegativeInfinity;
}
