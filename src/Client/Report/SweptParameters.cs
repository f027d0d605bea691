using System.Globalization;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Store;
using VaeSweep.Model;

namespace VaeSweep.Client.Report;

/// <summary>
/// Finds the parameters a sweep varied by comparing its trials' resolved configurations, so it works for grid,
/// random and list sweeps alike and needs neither the spec parser nor the dataset on disk.
/// </summary>
internal static class SweptParameters
{
    /// <summary>Spec keys in the spec's order, each read from a resolved config.</summary>
    private static readonly (string Name, Func<TrialConfig, object> Read)[] Keys =
    [
        ("engine", c => SpecNames<Engine>.Of(c.Engine)),
        ("arch", c => SpecNames<Architecture>.Of(c.Arch)),
        ("latent", c => c.Latent),
        ("hidden", c => "[" + string.Join(", ", c.Hidden) + "]"),
        ("activation", c => SpecNames<Activation>.Of(c.Activation)),
        ("likelihood", c => SpecNames<Likelihood>.Of(c.Likelihood)),
        ("sigma", c => c.Sigma),
        ("beta", c => c.Beta),
        ("binarization", c => SpecNames<Binarization>.Of(c.Binarization)),
        ("lr", c => c.LearningRate),
        ("epochs", c => c.Epochs),
        ("batch_size", c => c.BatchSize),
        ("seed", c => c.Seed),
        ("threads", c => c.Threads),
        ("importance_samples", c => c.ImportanceSamples),
        ("examples", c => c.EvalExamples),
    ];

    /// <summary>The swept parameters of a stored sweep, from its trials' stored configurations (unreadable ones are skipped).</summary>
    public static IReadOnlyList<SweptParameter> OfSweep(ResultsStore store, string sweep)
    {
        var configs = new Dictionary<string, TrialConfig>();
        foreach (var trial in store.TrialsOf(sweep))
        {
            try
            {
                configs[trial.TrialId] = ResolvedTrial.FromCanonicalJson(trial.ConfigJson).Config;
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                // A config this build cannot read (e.g. keys of a newer engine) still ranks from its columns.
            }
        }
        return Detect(configs, store.GetSweep(sweep) is { } record ? SearchDistributions.LogKeys(record.SpecText) : null);
    }

    /// <param name="configs">Each trial's resolved configuration by trial id.</param>
    /// <param name="logDistributed">Keys the spec draws from log_uniform: on a log scale even when the draws span less than a decade.</param>
    public static IReadOnlyList<SweptParameter> Detect(IReadOnlyDictionary<string, TrialConfig> configs, IReadOnlySet<string>? logDistributed = null)
    {
        var swept = new List<SweptParameter>();
        foreach (var (name, read) in Keys)
        {
            var values = configs.ToDictionary(kv => kv.Key, kv => ValueOf(read(kv.Value)));
            var levels = values.Values.DistinctBy(v => v.Text).ToList();
            if (levels.Count < 2) continue;
            var numeric = levels.All(v => v.Number is not null);
            levels = numeric
                ? levels.OrderBy(v => v.Number).ToList()
                : levels.OrderBy(v => v.Text, StringComparer.Ordinal).ToList();
            var log = numeric && levels[0].Number > 0
                && (levels[^1].Number / levels[0].Number >= 10 || logDistributed?.Contains(name) == true);
            swept.Add(new SweptParameter(name, numeric, log, levels, values));
        }
        return swept;
    }

    /// <summary>
    /// Pairs of swept parameters whose every combination of levels occurs in the sweep (a grid over both),
    /// in parameter order, at most <paramref name="limit"/>.
    /// </summary>
    public static IReadOnlyList<(SweptParameter X, SweptParameter Y)> GriddedPairs(IReadOnlyList<SweptParameter> swept, int limit = 3)
    {
        var pairs = new List<(SweptParameter, SweptParameter)>();
        for (var i = 0; i < swept.Count; i++)
            for (var j = i + 1; j < swept.Count && pairs.Count < limit; j++)
            {
                var (x, y) = (swept[i], swept[j]);
                var cells = x.Values.Keys.Select(id => (x.Values[id].Text, y.Values[id].Text)).Distinct().Count();
                if (cells == x.Levels.Count * y.Levels.Count) pairs.Add((x, y));
            }
        return pairs;
    }

    private static ParameterValue ValueOf(object value) => value switch
    {
        int i => new ParameterValue(i.ToString(CultureInfo.InvariantCulture), i),
        double d => new ParameterValue(d.ToString("R", CultureInfo.InvariantCulture), d),
        string s => new ParameterValue(s, null),
        _ => new ParameterValue(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", null),
    };
}
