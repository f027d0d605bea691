namespace VaeSweep.Client.Scheduling.Sources;

/// <summary>How an ended trial did, as a source learns it: the order of these is the order of quality.</summary>
public enum OutcomeKind
{
    /// <summary>Diverged or failed: worse than anything that produced a number.</summary>
    Bad,
    /// <summary>Stopped early at <see cref="TrialOutcome.Epochs"/> with <see cref="TrialOutcome.Value"/> reached there.</summary>
    Pruned,
    /// <summary>Trained to the end; <see cref="TrialOutcome.Value"/> is its held-out validation log-likelihood.</summary>
    Finished,
}

/// <summary>
/// What an ended trial reached. Finished trials rank above pruned ones (as Optuna's TPE ranks complete trials above
/// pruned ones), pruned ones by how far they got and then by the value there, bad ones last.
/// </summary>
/// <param name="Value">Held-out LL for a finished trial; the schedule's metric at the rung for a pruned one; NaN for bad.</param>
public sealed record TrialOutcome(OutcomeKind Kind, double Value, int Epochs) : IComparable<TrialOutcome>
{
    public static TrialOutcome Bad { get; } = new(OutcomeKind.Bad, double.NaN, 0);

    public int CompareTo(TrialOutcome? other)
    {
        if (other is null) return 1;
        if (Kind != other.Kind) return Kind.CompareTo(other.Kind);
        if (Kind == OutcomeKind.Pruned && Epochs != other.Epochs) return Epochs.CompareTo(other.Epochs);
        return Finite(Value).CompareTo(Finite(other.Value));
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : double.NegativeInfinity;
}
