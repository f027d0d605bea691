namespace VaeSweep.Client.Search;

/// <summary>
/// The TPE's constants, defaulting to Optuna's <c>TPESampler(multivariate=True)</c>: consider_prior with weight 1,
/// magic clip on, endpoints not considered, 24 expected-improvement candidates, γ(n) = min(⌈0.1 n⌉, 25) and weights
/// ramping up over old trials once there are more than 25.
/// </summary>
internal sealed record TpeSettings
{
    public static TpeSettings Default { get; } = new();

    /// <summary>Candidates drawn from the good-trials density per proposal (Optuna's n_ei_candidates).</summary>
    public int Candidates { get; init; } = 24;

    /// <summary>Weight of the prior kernel (uniform over the space, as wide as it) against each trial's weight.</summary>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>γ(n) = min(⌈<see cref="GoodFraction"/> n⌉, <see cref="MaxGood"/>) trials make up the good group.</summary>
    public double GoodFraction { get; init; } = 0.1;

    public int MaxGood { get; init; } = 25;

    /// <summary>The newest this many trials of a group weigh 1; older ones ramp linearly down towards 1/n.</summary>
    public int FlatWeights { get; init; } = 25;

    /// <summary>Scott's-rule factor of the multivariate bandwidth: σ = 0.2 n^(−1/(d+4)) (high − low).</summary>
    public double BandwidthFactor { get; init; } = 0.2;

    /// <summary>Batches of <see cref="Candidates"/> to try before giving up on finding a point not already tried.</summary>
    public int MaxBatches { get; init; } = 16;

    /// <exception cref="ArgumentException">A setting out of range, named.</exception>
    public void Validate()
    {
        if (Candidates < 1) throw new ArgumentException($"Candidates must be at least 1, got {Candidates}");
        if (!(PriorWeight > 0) || !double.IsFinite(PriorWeight)) throw new ArgumentException($"PriorWeight must be positive, got {PriorWeight}");
        if (!(GoodFraction > 0 && GoodFraction <= 1)) throw new ArgumentException($"GoodFraction must be in (0, 1], got {GoodFraction}");
        if (MaxGood < 1) throw new ArgumentException($"MaxGood must be at least 1, got {MaxGood}");
        if (FlatWeights < 1) throw new ArgumentException($"FlatWeights must be at least 1, got {FlatWeights}");
        if (!(BandwidthFactor > 0) || !double.IsFinite(BandwidthFactor)) throw new ArgumentException($"BandwidthFactor must be positive, got {BandwidthFactor}");
        if (MaxBatches < 1) throw new ArgumentException($"MaxBatches must be at least 1, got {MaxBatches}");
    }

    /// <summary>γ(n): how many of n finished trials form the good group.</summary>
    public int GoodCount(int finished) => Math.Min((int)Math.Ceiling(GoodFraction * finished), MaxGood);

    /// <summary>Optuna's default_weights: n ones when n &lt; flat, else a linear ramp from 1/n over the oldest n − flat.</summary>
    public double[] RecencyWeights(int n)
    {
        var w = new double[n];
        var ramp = Math.Max(0, n - FlatWeights);
        for (var i = 0; i < n; i++)
            w[i] = i >= ramp ? 1.0 : ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        return w;
    }
}
