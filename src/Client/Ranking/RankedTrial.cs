namespace VaeSweep.Client.Ranking;

/// <summary>
/// One row of a sweep's ranking. Log-likelihoods are nats per example (higher is better); held-out is the
/// validation split, which alone decides the rank; test is shown beside it, never used to choose.
/// Elbo, Kl and Recon are the last recorded epoch's validation values. Fields that do not apply (an
/// unfinished trial's estimates and rank) are null.
/// </summary>
/// <param name="Epochs">Epochs recorded so far (the last epoch number; 0 before the first).</param>
/// <param name="Rank">1 for the best; null for unfinished trials.</param>
/// <param name="Distinguishable">Whether the trial is worse than the best by more than z standard errors of the gap.</param>
/// <param name="Diff">Best's held-out log-likelihood minus this trial's (0 for the best).</param>
/// <param name="DiffSe">Standard error of <see cref="Diff"/>.</param>
/// <param name="Paired">Whether Diff/DiffSe come from the paired per-example comparison (false: unpaired fallback).</param>
/// <param name="ActiveUnits">Active latent units on the validation examples (null before schema 8 or unfinished).</param>
/// <param name="Rate">Mean KL(q(z|x) ‖ p(z)) on the validation examples of the estimate.</param>
/// <param name="Distortion">Mean −log p(x|z), z ~ q(z|x), on the same examples.</param>
/// <param name="LlElboGap">Held-out log-likelihood minus the ELBO on the same examples.</param>
/// <param name="Objective">The value of the sweep objective's metric (equal to HeldoutLl by default).</param>
/// <param name="Feasible">Whether the trial meets the objective's constraints (true when there are none).</param>
/// <param name="Pareto">Whether the trial is on the Pareto front of the chosen metrics (rate and distortion by default).</param>
/// <param name="Attempts">Attempts given out for the trial.</param>
/// <param name="StartedAttempts">How many of them a worker started (the trial was really trained this often).</param>
public sealed record RankedTrial(
    string Trial,
    string Sweep,
    string Status,
    int Latent,
    double Sigma,
    double Beta,
    double Lr,
    double? HeldoutLl,
    double? HeldoutLlSe,
    double? TestLl,
    double? Elbo,
    double? Kl,
    double? Recon,
    int Epochs,
    double? Seconds,
    int? Rank,
    bool? Distinguishable,
    double? Diff,
    double? DiffSe,
    bool? Paired,
    int? ActiveUnits = null,
    double? Rate = null,
    double? Distortion = null,
    double? LlElboGap = null,
    double? Objective = null,
    bool? Feasible = null,
    bool? Pareto = null,
    int Attempts = 0,
    int StartedAttempts = 0);
