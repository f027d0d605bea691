namespace VaeSweep.Model;

/// <summary>Decoder likelihood p(x|z).</summary>
public enum Likelihood
{
    /// <summary>N(x; sigmoid(f(z)), σ²I) with σ a fixed hyperparameter.</summary>
    Gaussian,
    /// <summary>Bernoulli(sigmoid(logits)) on binarised pixels.</summary>
    Bernoulli,
}

/// <summary>How pixels become {0,1} for the Bernoulli likelihood.</summary>
public enum Binarization
{
    /// <summary>Pixels scaled to [0,1], not binarised (Gaussian likelihood).</summary>
    None,
    /// <summary>Each pixel thresholded once, independent of the trial seed, so every trial sees the same data.</summary>
    Static,
    /// <summary>Each pixel resampled as Bernoulli(p) every time a batch is drawn.</summary>
    Dynamic,
}
