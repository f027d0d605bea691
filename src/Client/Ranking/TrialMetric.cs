using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// A stored per-trial number that ranking, the Pareto front and <c>sweep.objective</c> can name, with the way it
/// is better. Values come from the validation estimate (never the test one: the test split only reports) or the
/// last epoch; null when the trial has none (unfinished, or stored before the statistics existed).
/// </summary>
public sealed record TrialMetric(string Name, Direction Better, string Meaning, Func<TrialNumbers, double?> Read)
{
    /// <summary>Every metric by its snake_case name, the spelling of <c>top --format json</c>.</summary>
    public static IReadOnlyList<TrialMetric> All { get; } =
    [
        new("heldout_ll", Direction.Maximize, "importance-sampled log p(x) on the validation examples", r => r.Validation?.Mean),
        new("heldout_elbo", Direction.Maximize, "ELBO on the same validation examples", r => r.Validation?.MeanElbo),
        new("ll_elbo_gap", Direction.Minimize, "heldout_ll − heldout_elbo: how loose the ELBO is", r => r.Validation is { } v ? v.Mean - v.MeanElbo : null),
        new("rate", Direction.Minimize, "mean KL(q(z|x) ‖ p(z)) on the validation examples", r => r.Validation?.Latent?.Rate),
        new("distortion", Direction.Minimize, "mean −log p(x|z), z ~ q(z|x), on the validation examples", r => r.Validation?.Latent?.Distortion),
        new("active_units", Direction.Maximize, "latent units with Cov_x(E_q[z_u|x]) above the threshold", r => r.Validation?.Latent?.ActiveUnits),
        new("elbo", Direction.Maximize, "the last epoch's validation ELBO", r => r.LastEpoch?.ValidationElbo),
        new("kl", Direction.Minimize, "the last epoch's validation KL", r => r.LastEpoch?.ValidationKl),
        new("recon", Direction.Minimize, "the last epoch's validation reconstruction term", r => r.LastEpoch?.ValidationRecon),
        new("seconds", Direction.Minimize, "training wall time", r => r.Seconds),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(m => m.Name)];

    public static TrialMetric? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary>The value, or null when absent or not a number (a NaN stored as NULL reads back as NaN).</summary>
    public double? ValueOf(TrialNumbers numbers) => Read(numbers) is { } v && !double.IsNaN(v) ? v : null;

    public double? ValueOf(TrialResult result) => ValueOf(TrialNumbers.Of(result));
}
