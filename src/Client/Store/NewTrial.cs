using System.Globalization;
using VaeSweep.Model;

namespace VaeSweep.Client.Store;

/// <summary>
/// A trial to add to a sweep: its id (the hash of the fully-resolved config), its position in the sweep,
/// the config columns readers filter and rank on, and the whole config as JSON (the source of truth).
/// </summary>
/// <param name="Hidden">Hidden widths as text, e.g. "400-200"; empty for none.</param>
/// <param name="Activation">e.g. "relu".</param>
/// <param name="Likelihood">e.g. "gaussian".</param>
public sealed record NewTrial(
    string TrialId,
    int Ordinal,
    int Latent,
    double Sigma,
    double Beta,
    double LearningRate,
    string Hidden,
    string Activation,
    string Likelihood,
    int Epochs,
    int BatchSize,
    int Seed,
    string ConfigJson)
{
    /// <summary>The columns of a model config; the caller supplies the id and the JSON it hashed.</summary>
    public static NewTrial From(string trialId, int ordinal, TrialConfig config, string configJson) => new(
        trialId,
        ordinal,
        config.Latent,
        config.Sigma,
        config.Beta,
        config.LearningRate,
        string.Join('-', config.Hidden.Select(h => h.ToString(CultureInfo.InvariantCulture))),
        config.Activation.ToString().ToLowerInvariant(),
        config.Likelihood.ToString().ToLowerInvariant(),
        config.Epochs,
        config.BatchSize,
        config.Seed,
        configJson);

    /// <summary>Every violated constraint, as "trial &lt;id&gt;: field: what is wrong"; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var who = string.IsNullOrEmpty(TrialId) ? $"trial #{Ordinal}" : $"trial {TrialId}";
        if (string.IsNullOrWhiteSpace(TrialId)) errors.Add($"{who}: trial_id: must not be empty");
        if (Ordinal < 0) errors.Add($"{who}: ordinal: must be 0 or more, got {Ordinal}");
        if (double.IsNaN(Sigma)) errors.Add($"{who}: sigma: must be a number, got NaN");
        if (double.IsNaN(Beta)) errors.Add($"{who}: beta: must be a number, got NaN");
        if (double.IsNaN(LearningRate)) errors.Add($"{who}: lr: must be a number, got NaN");
        if (string.IsNullOrWhiteSpace(ConfigJson)) errors.Add($"{who}: config_json: must not be empty");
        if (Hidden is null) errors.Add($"{who}: hidden: must not be null (use \"\" for none)");
        if (string.IsNullOrWhiteSpace(Activation)) errors.Add($"{who}: activation: must not be empty");
        if (string.IsNullOrWhiteSpace(Likelihood)) errors.Add($"{who}: likelihood: must not be empty");
        return errors;
    }
}
