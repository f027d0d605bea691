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
    double SamplesPerSecond)
{
    /// <summary>
    /// Measurements of a density of transformed data carried back to the data as given (see
    /// <see cref="LogLikelihoodEstimate.WithLogJacobian"/>): log p(x|z) gains the log-Jacobian, so each recon (and the
    /// objective) loses it and each ELBO gains it; KL and timings are unchanged. A zero shift returns this.
    /// </summary>
    public EpochMetrics WithLogJacobian(double logJacobian) => logJacobian == 0 ? this : this with
    {
        TrainObjective = TrainObjective - logJacobian,
        TrainElbo = TrainElbo + logJacobian,
        TrainRecon = TrainRecon - logJacobian,
        ValidationElbo = ValidationElbo + logJacobian,
        ValidationRecon = ValidationRecon - logJacobian,
    };
}
