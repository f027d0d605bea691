namespace VaeSweep.Client.Ranking;

/// <summary>
/// How far a trial's held-out log-likelihood is below the best's: <see cref="Diff"/> = best − trial (nats
/// per example) with standard error <see cref="DiffSe"/>.
/// </summary>
/// <param name="Paired">True when computed from per-example differences over the same examples;
/// false when it fell back to the unpaired sqrt(se_best² + se_trial²).</param>
public readonly record struct Comparison(double Diff, double DiffSe, bool Paired)
{
    /// <summary>Whether the gap is more than <paramref name="z"/> standard errors.</summary>
    public bool IsDistinguishable(double z) => Diff > z * DiffSe;
}
