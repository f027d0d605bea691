namespace VaeSweep.Model;

/// <summary>
/// Everything that determines one training run, fully resolved. Defaults are the project's reference
/// configuration (784-400-20, Gaussian σ = 0.1, β = 1, Adam lr 1e-3, batch 128, ReLU).
/// Validated once at the edge with <see cref="Validate"/>; the engine trusts a validated config.
/// </summary>
public sealed record TrialConfig
{
    /// <summary>What trains the trial. Not part of a native trial's canonical JSON, so ids from before it existed stay.</summary>
    public Engine Engine { get; init; } = Engine.Native;

    /// <summary>Encoder/decoder shape; <see cref="Architecture.Conv"/> needs <see cref="Engine.Torch"/>.</summary>
    public Architecture Arch { get; init; } = Architecture.Mlp;

    /// <summary>Latent size L (Z). At least 1.</summary>
    public int Latent { get; init; } = 20;

    /// <summary>Encoder hidden widths, input side first; the decoder mirrors them. Each at least 1; may be empty.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [400];

    public Activation Activation { get; init; } = Activation.Relu;

    public Likelihood Likelihood { get; init; } = Likelihood.Gaussian;

    /// <summary>The Gaussian decoder's mean: sigmoid(f(z)) for data in [0, 1], or f(z) for unbounded data. Bernoulli needs sigmoid.</summary>
    public Output Output { get; init; } = Output.Sigmoid;

    /// <summary>Decoder standard deviation σ of the Gaussian likelihood (fixed, not learned). Positive.</summary>
    public double Sigma { get; init; } = 0.1;

    /// <summary>KL weight β of the training objective. Non-negative. The reported ELBO always uses β = 1.</summary>
    public double Beta { get; init; } = 1.0;

    /// <summary>Binarisation of pixels; Bernoulli requires Static or Dynamic, Gaussian requires None.</summary>
    public Binarization Binarization { get; init; } = Binarization.None;

    /// <summary>Adam learning rate. Positive.</summary>
    public double LearningRate { get; init; } = 1e-3;

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 128;

    /// <summary>Seed of initialisation, shuffling and ε. Same seed and thread count give bit-identical runs.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Threads used by the numeric kernels. The silo runs trials single-threaded by default.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Importance samples K of the held-out log-likelihood estimate.</summary>
    public int ImportanceSamples { get; init; } = 1000;

    /// <summary>Examples of each split the estimate uses (the first n of the split); 0 means the whole split.</summary>
    public int EvalExamples { get; init; } = 1000;

    /// <summary>
    /// A latent unit u counts as active when Cov_x(E_q[z_u | x]) over the estimated examples exceeds this
    /// (Burda et al. 2015 use 0.01). Finite, 0 or more.
    /// </summary>
    public double ActiveThreshold { get; init; } = Evaluation.LatentStatistics.DefaultThreshold;

    /// <summary>Every violated constraint, as "field: what is wrong"; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Latent < 1) errors.Add($"latent: must be at least 1, got {Latent}");
        for (var i = 0; i < Hidden.Count; i++)
            if (Hidden[i] < 1) errors.Add($"hidden[{i}]: must be at least 1, got {Hidden[i]}");
        if (!(Sigma > 0) || double.IsInfinity(Sigma)) errors.Add($"sigma: must be a positive number, got {Sigma}");
        if (!(Beta >= 0) || double.IsInfinity(Beta)) errors.Add($"beta: must be a non-negative number, got {Beta}");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) errors.Add($"lr: must be a positive number, got {LearningRate}");
        if (Epochs < 1) errors.Add($"epochs: must be at least 1, got {Epochs}");
        if (BatchSize < 1) errors.Add($"batch_size: must be at least 1, got {BatchSize}");
        if (Threads < 1) errors.Add($"threads: must be at least 1, got {Threads}");
        if (ImportanceSamples < 1) errors.Add($"importance_samples: must be at least 1, got {ImportanceSamples}");
        if (EvalExamples < 0) errors.Add($"examples: must be 0 (all) or more, got {EvalExamples}");
        if (!(ActiveThreshold >= 0) || double.IsInfinity(ActiveThreshold))
            errors.Add($"active_threshold: must be a finite number, 0 or more, got {ActiveThreshold}");
        if (Likelihood == Likelihood.Bernoulli && Binarization == Binarization.None)
            errors.Add("binarization: the bernoulli likelihood needs static or dynamic binarisation");
        if (Likelihood == Likelihood.Gaussian && Binarization != Binarization.None)
            errors.Add("binarization: the gaussian likelihood models grey levels; use binarization: none");
        if (Likelihood == Likelihood.Bernoulli && Output != Output.Sigmoid)
            errors.Add("output: the bernoulli likelihood's probabilities are sigmoid(logits); use output: sigmoid");
        if (Arch == Architecture.Conv && Engine != Engine.Torch)
            errors.Add($"arch: conv needs engine: torch (the {Engine.ToString().ToLowerInvariant()} engine has only mlp)");
        return errors;
    }
}
