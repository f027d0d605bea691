using System.Globalization;
using VaeSweep.Model.Data;

namespace VaeSweep.Model.Checkpoints;

/// <summary>
/// The settings a checkpoint is only valid for, as canonical "key=value" lines. Threads, epochs and the
/// evaluation settings are left out: kernels give the same bits at any thread count, and the others do not
/// change the training trajectory, so a run may resume elsewhere or be extended.
/// </summary>
internal static class RunFingerprint
{
    public static string Describe(TrialConfig config, EngineOptions options, DataSplits data)
    {
        var c = CultureInfo.InvariantCulture;
        // Lines added after checkpoints were first stored appear only away from their old behaviour, so those still resume.
        var later = new List<string>();
        if (config.Output != Output.Sigmoid) later.Add($"output={config.Output.ToString().ToLowerInvariant()}");
        if (!data.TrainFile.IsImage || data.TrainFile.Channels != 1) later.Add($"shape={data.TrainFile.Shape}");
        if (data.Standardization is not null) later.Add("standardize=true");
        return string.Join('\n', [
            $"latent={config.Latent}",
            $"hidden={string.Join(',', config.Hidden)}",
            $"activation={config.Activation}",
            $"likelihood={config.Likelihood}",
            $"sigma={config.Sigma.ToString("R", c)}",
            $"beta={config.Beta.ToString("R", c)}",
            $"binarization={config.Binarization}",
            $"lr={config.LearningRate.ToString("R", c)}",
            $"batch_size={config.BatchSize}",
            $"seed={config.Seed}",
            $"linear_gaussian_mean={options.LinearGaussianMean}",
            $"image={data.TrainFile.Rows}x{data.TrainFile.Columns}",
            $"train_examples={data.TrainIndices.Count}",
            $"validation_examples={data.ValidationIndices.Count}", .. later]);
    }

    /// <summary>
    /// The fingerprint of a torch-engine run: the native lines plus engine and arch. Native fingerprints stay as they were
    /// (no engine line), so native checkpoints stored before the torch engine existed still resume.
    /// </summary>
    public static string DescribeTorch(TrialConfig config, EngineOptions options, DataSplits data) =>
        Describe(config, options, data) + $"\nengine=torch\narch={config.Arch.ToString().ToLowerInvariant()}";

    /// <summary>The engine a fingerprint was written by: its engine line, or native when it has none.</summary>
    public static string EngineOf(string fingerprint) => Parse(fingerprint).GetValueOrDefault("engine") ?? "native";

    /// <summary>"lr: checkpoint 0.001, now 0.01; seed: …" for the keys whose values differ.</summary>
    public static string Difference(string saved, string current)
    {
        var before = Parse(saved);
        var after = Parse(current);
        var keys = before.Keys.Union(after.Keys).Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k));
        return string.Join("; ", keys.Select(k =>
            $"{k}: checkpoint {before.GetValueOrDefault(k) ?? "(absent)"}, now {after.GetValueOrDefault(k) ?? "(absent)"}"));
    }

    private static Dictionary<string, string> Parse(string text) => text.Split('\n')
        .Select(line => line.Split('=', 2))
        .Where(parts => parts.Length == 2)
        .GroupBy(parts => parts[0])
        .ToDictionary(g => g.Key, g => g.First()[1]);
}
