using VaeSweep.Client.Spec;
using VaeSweep.Client.Spec.Expansion;

namespace VaeSweep.Client.Search;

/// <summary>
/// The thin shell around <see cref="TpeCore"/> for a tpe spec: it turns trials into points and points into resolved
/// trials, gives the startup trials back as they are, derives each proposal's random stream from (seed, index) only,
/// and never proposes a configuration the sweep already holds.
/// </summary>
internal sealed class TpeProposer : ITrialProposer
{
    // A random fallback that finds nothing new in this many draws gives up; the parser made sure that
    // the parameters allow at least Trials distinct configurations, so this is out of reach in practice.
    private const int FallbackDraws = 100_000;

    private readonly IReadOnlyList<ParameterSampler> _samplers;
    private readonly IReadOnlyList<SearchAxis> _axes;
    private readonly IReadOnlyList<SearchAxis> _modelled;
    private readonly IReadOnlyList<SearchDimension> _dimensions;
    private readonly IReadOnlyList<ResolvedTrial> _startup;
    private readonly Func<IReadOnlyList<Assignment>, ResolvedTrial?> _resolve;
    private readonly TpeSettings _settings;
    private readonly int _seed;

    /// <param name="startup">The startup trials, in order (the random plan's first draws).</param>
    /// <param name="resolve">Resolves the swept assignments into a trial; null when the config does not validate.</param>
    public TpeProposer(int trials, int seed, int lag, IReadOnlyList<ParameterSampler> samplers, IReadOnlyList<ResolvedTrial> startup,
        Func<IReadOnlyList<Assignment>, ResolvedTrial?> resolve, TpeSettings? settings = null)
    {
        _settings = settings ?? TpeSettings.Default;
        _settings.Validate();
        if (startup.Count >= trials) throw new ArgumentException($"{startup.Count} startup trials leave none of the {trials} for the model");
        if (lag < 1) throw new ArgumentException($"lag must be at least 1, got {lag}");
        Trials = trials;
        Lag = lag;
        _seed = seed;
        _samplers = samplers;
        _axes = samplers.Select(s => new SearchAxis(s)).ToArray();
        _modelled = _axes.Where(a => a.Dimension is not null).ToArray();
        _dimensions = _modelled.Select(a => a.Dimension!).ToArray();
        _startup = startup;
        _resolve = resolve;
    }

    public int Trials { get; }

    public int StartupTrials => _startup.Count;

    public int Lag { get; }

    public TrialProposal Propose(IReadOnlyList<Observation> completed, IReadOnlyList<PendingTrial> pending, int index)
    {
        if (index < 0 || index >= Trials) throw new ArgumentException($"trial index {index} is outside 0..{Trials - 1}", nameof(index));
        if (index < _startup.Count) return new TrialProposal(_startup[index], ProposalKind.Startup);

        var finished = completed.OrderBy(o => o.Index).ToList();
        var running = pending.OrderBy(p => p.Index).ToList();
        if (finished.Count > 0 && running.Count > 0 && running[0].Index <= finished[^1].Index)
            throw new ArgumentException($"pending trial {running[0].Index} is not after completed trial {finished[^1].Index}", nameof(pending));
        var tried = new HashSet<string>(StringComparer.Ordinal);
        foreach (var trial in _startup) tried.Add(Key(trial.Config));
        foreach (var o in finished) tried.Add(Key(o.Config));
        foreach (var p in running) tried.Add(Key(p.Config));

        var rng = StreamFor(_seed, index);
        var point = TpeCore.Propose(
            _dimensions,
            finished.Select(o => new ScoredPoint(Point(o.Config), o.Score)).ToList(),
            running.Select(p => Point(p.Config)).ToList(),
            rng, _settings, x => tried.Contains(Key(Assign(x))));
        if (point is not null) return new TrialProposal(Resolve(Assign(point)), ProposalKind.Model);

        for (var draw = 0; draw < FallbackDraws; draw++)
        {
            var assignments = _samplers.Select(s => s.Sample(rng)).ToArray();
            if (!tried.Contains(Key(assignments))) return new TrialProposal(Resolve(assignments), ProposalKind.Fallback);
        }
        throw new InvalidOperationException($"no configuration left untried for trial {index} after {FallbackDraws} random draws");
    }

    /// <summary>The random stream of proposal <paramref name="index"/>: (seed, index) packed into 64 bits, then mixed.</summary>
    internal static SplitMix64 StreamFor(int seed, int index) =>
        new(unchecked((long)new SplitMix64(((long)seed << 32) | (uint)index).NextUInt64()));

    private double[] Point(Model.TrialConfig config) => _modelled.Select(a => a.Coordinate(config)).ToArray();

    /// <summary>Swept assignments in spec order for a point over the modelled axes.</summary>
    private Assignment[] Assign(double[] point)
    {
        var next = 0;
        return _axes.Select(a => a.Dimension is null ? a.Assign(0) : a.Assign(point[next++])).ToArray();
    }

    private ResolvedTrial Resolve(IReadOnlyList<Assignment> assignments) =>
        _resolve(assignments) ?? throw new InvalidOperationException(
            "a proposed trial does not validate: " + string.Join(", ", assignments.Select(a => $"{a.Parameter.Name}={a.Parameter.Format(a.Value)}")));

    private string Key(Model.TrialConfig config) => string.Join("\u001f", _axes.Select(a => a.Key(a.Parameter.Get(config))));

    private string Key(IReadOnlyList<Assignment> assignments) => string.Join("\u001f", assignments.Select(a => a.Parameter.Format(a.Value)));
}
