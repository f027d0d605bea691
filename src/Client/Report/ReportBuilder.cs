using VaeSweep.Client.Ranking;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
using VaeSweep.Grains;
using VaeSweep.Contracts;
using VaeSweep.Model;
using VaeSweep.Model.Data;

namespace VaeSweep.Client.Report;

/// <summary>
/// Reads one sweep's report from the database, and for the best trials runs the decoder from their stored
/// final weights on the dataset their configuration names. Writes nothing anywhere.
/// </summary>
public static class ReportBuilder
{
    private static readonly string[] FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <exception cref="ResultsStoreException">No such sweep, or stored data is corrupt.</exception>
    public static SweepReport Build(ResultsStore store, string sweepName, ReportOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException($"report options: {string.Join("; ", errors)}", nameof(options));

        var sweep = store.GetSweep(sweepName) ?? throw new ResultsStoreException($"{store.Path}: no sweep named '{sweepName}'");
        // The same call `top` makes, so the page's numbers are top's numbers; unfinished trials follow unranked.
        var results = store.ResultsOf(sweepName);
        var objective = ObjectiveReader.FromSpecText(sweep.SpecText);
        var ranking = Ranker.Rank(results, new RankingOptions { IncludeUnfinished = true, Objective = objective });
        var trials = store.TrialsOf(sweepName).ToDictionary(t => t.TrialId);
        var resolved = new Dictionary<string, ResolvedTrial>();
        foreach (var t in trials.Values)
            if (TryResolve(t) is { } r) resolved[t.TrialId] = r;
        var curves = trials.Keys.ToDictionary(id => id, id => (IReadOnlyList<EpochMetrics>)store.EpochsOf(id).Select(e => e.Metrics).ToList());

        var swept = SweptParameters.Detect(resolved.ToDictionary(kv => kv.Key, kv => kv.Value.Config), SearchDistributions.LogKeys(sweep.SpecText));
        var ranked = ranking.Where(r => r.Rank is not null).ToList();
        var best = ranked.Take(options.BestTrials).ToList();
        var effects = swept.Select(p => Effect(p, ranked)).ToList();
        var heatMaps = SweptParameters.GriddedPairs(swept).Select(pair => HeatMap(pair.X, pair.Y, ranked)).ToList();

        var decoders = new Decoders(store, trials, resolved);
        var visuals = best.Select(r => Visuals(decoders, r, options)).ToList();
        var (scatter, scatterNote) = Latent2(decoders, ranked, resolved, options);

        return new SweepReport(sweep, time.GetUtcNow(), EngineInfo.Descriptor, ranking, trials, swept, curves,
            best.Select(r => r.Trial).ToList(), effects, heatMaps, visuals, scatter, scatterNote, Timings(trials.Values, curves),
            ReportAnalysisBuilder.Build(ranking, results, swept, options.BestTrials, objective,
                SearchDistributions.In(sweep.SpecText), options.Importance));
    }

    private static ResolvedTrial? TryResolve(TrialRecord trial)
    {
        try
        {
            return ResolvedTrial.FromCanonicalJson(trial.ConfigJson);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // A config this build cannot read (e.g. keys of a newer engine) still ranks from its columns.
            return null;
        }
    }

    private static ParameterEffect Effect(SweptParameter parameter, IReadOnlyList<RankedTrial> ranked) => new(parameter,
        ranked.Where(r => parameter.Values.ContainsKey(r.Trial) && r.HeldoutLl is { } ll && double.IsFinite(ll))
            .Select(r =>
            {
                var value = parameter.Values[r.Trial];
                return new EffectPoint(r.Trial, value, parameter.Position(value), r.HeldoutLl!.Value,
                    r.HeldoutLlSe is { } se && double.IsFinite(se) ? se : 0);
            }).ToList());

    private static HeatMapGrid HeatMap(SweptParameter x, SweptParameter y, IReadOnlyList<RankedTrial> ranked)
    {
        var cells = new double[y.Levels.Count, x.Levels.Count];
        for (var i = 0; i < y.Levels.Count; i++)
            for (var j = 0; j < x.Levels.Count; j++) cells[i, j] = double.NaN;
        foreach (var r in ranked)
        {
            if (r.HeldoutLl is not { } ll || !double.IsFinite(ll)) continue;
            if (!x.Values.TryGetValue(r.Trial, out var xv) || !y.Values.TryGetValue(r.Trial, out var yv)) continue;
            var (row, column) = (y.IndexOf(yv), x.IndexOf(xv));
            if (double.IsNaN(cells[row, column]) || ll > cells[row, column]) cells[row, column] = ll;
        }
        return new HeatMapGrid(x, y, cells);
    }

    private static TrialVisuals Visuals(Decoders decoders, RankedTrial row, ReportOptions options)
    {
        var rank = row.Rank!.Value;
        if (!decoders.TryGet(row.Trial, out var vae, out var epoch, out var note)) return new TrialVisuals(rank, row.Trial, note, epoch);
        var count = Math.Min(options.Images, vae.TestCount);
        var shape = vae.Shape;
        var images = vae.TestImages(count);
        // Grey levels keep their fixed scale; other data is drawn over the range of the test examples shown.
        var (low, high) = vae.IsFloatData && images.Length > 0 ? (images.Min(), images.Max()) : (0f, 1f);
        if (!(high > low)) (low, high) = (low - 0.5f, low + 0.5f);
        return new TrialVisuals(rank, row.Trial, null, epoch, count, shape.Rows, shape.Columns,
            images, vae.ReconstructTest(count), vae.SamplePrior(count, options.PriorSeed), shape.IsImage, shape.Channels, low, high);
    }

    private static (LatentScatter?, string?) Latent2(Decoders decoders, IReadOnlyList<RankedTrial> ranked,
        IReadOnlyDictionary<string, ResolvedTrial> resolved, ReportOptions options)
    {
        var row = ranked.FirstOrDefault(r => r.Latent == 2);
        if (row is null) return (null, "no finished trial has a two-dimensional latent space");
        if (!decoders.TryGet(row.Trial, out var vae, out _, out var note)) return (null, $"rank {row.Rank}: {note}");
        var count = Math.Min(options.ScatterPoints, vae.TestCount);
        var labels = vae.TestLabels(count);
        var fashion = resolved[row.Trial].Dataset.Name.Contains("fashion", StringComparison.OrdinalIgnoreCase);
        var classes = !vae.HasLabels
            ? ["unlabelled"]
            : Enumerable.Range(0, labels.Length == 0 ? 0 : labels.Max() + 1)
                .Select(k => fashion && k < FashionClasses.Length ? FashionClasses[k] : $"class {k}").ToList();
        return (new LatentScatter(row.Rank!.Value, row.Trial, vae.EncodeTestMeans(count), labels, classes), null);
    }

    private static SweepTimings Timings(IEnumerable<TrialRecord> trials, IReadOnlyDictionary<string, IReadOnlyList<EpochMetrics>> curves)
    {
        var list = trials.ToList();
        var seconds = list.Select(t => t.Seconds).OfType<double>().Where(double.IsFinite).Order().ToList();
        var rates = curves.Values.SelectMany(c => c).Select(e => e.SamplesPerSecond).Where(s => double.IsFinite(s) && s > 0).ToList();
        return new SweepTimings(
            seconds.Sum(),
            seconds.Count == 0 ? null : seconds.Count % 2 == 1 ? seconds[seconds.Count / 2] : (seconds[seconds.Count / 2 - 1] + seconds[seconds.Count / 2]) / 2,
            seconds.Count == 0 ? null : seconds[^1],
            list.Select(t => t.StartedAt).Min(),
            list.Select(t => t.FinishedAt).Max(),
            rates.Count == 0 ? null : rates.Average());
    }

    /// <summary>Restores each trial's decoder once, and remembers why one could not be.</summary>
    private sealed class Decoders(ResultsStore store, IReadOnlyDictionary<string, TrialRecord> trials, IReadOnlyDictionary<string, ResolvedTrial> resolved)
    {
        private readonly DatasetCache _datasets = new();
        private readonly Dictionary<string, (TrainedVae? Vae, int? Epoch, string? Note)> _done = new();

        public bool TryGet(string trialId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TrainedVae? vae, out int? epoch, out string? note)
        {
            if (!_done.TryGetValue(trialId, out var entry)) _done[trialId] = entry = Restore(trialId);
            (vae, epoch, note) = entry;
            return vae is not null;
        }

        private (TrainedVae?, int?, string?) Restore(string trialId)
        {
            var trial = trials[trialId];
            if (!resolved.TryGetValue(trialId, out var config))
                return (null, null, "its stored configuration cannot be read by this vaesweep");
            var weights = store.FinalWeights(trialId);
            if (weights is null)
                return (null, null, "no final weights stored (the trial finished before schema version 4, which keeps them)");
            if (!TrainedVae.IsNativeCheckpoint(weights.Bytes))
                return (null, weights.Epoch, $"no decoder for engine {trial.Engine ?? "unknown"}");
            var d = config.Dataset;
            DataSplits data;
            try
            {
                data = _datasets.Get(d.ToRef());
            }
            catch (Exception e) when (e is DatasetException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                return (null, weights.Epoch, $"dataset {d.Name} is not available here ({e.Message}); no test images to show");
            }
            try
            {
                return (TrainedVae.FromCheckpoint(config.Config, data, weights.Bytes), weights.Epoch, null);
            }
            catch (CheckpointException e)
            {
                return (null, weights.Epoch, $"the stored weights do not load: {e.Message}");
            }
        }
    }
}
