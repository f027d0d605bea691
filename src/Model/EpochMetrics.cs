namespace VaeSweep.Model;

/// <summary>
/// One epoch's measurements, in nats per example. Train figures are averaged over the epoch's
/// minibatches as they were trained; validation figures come from one pass over the validation split
/// after the epoch with one ε sample per example.
/// Recon is −E_q[log p(x|z)]; ELBO = −(Recon + KL) with β = 1; the objective uses the configured β.
/// </summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainObjective,
    double TrainElbo,
    double TrainKl,
    double TrainRecon,
    double ValidationElbo,
    double ValidationKl,
    double ValidationRecon,
    double WallSeconds,
    double SamplesPerSecond);
