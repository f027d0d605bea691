using VaeSweep.Client.Search;
using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>
/// A tpe sweep: <c>trials</c> trials over the same parameter forms as random search. Its first
/// <c>startup_trials</c> trials are exactly the random plan's first draws with the same seed; <see cref="Expand"/>
/// gives those, and <see cref="Proposer"/> the rest, one at a time, from the results.
/// </summary>
internal sealed class TpePlan : SweepPlan
{
    private readonly int _trials;
    private readonly int _seed;
    private readonly int _lag;
    private readonly IReadOnlyList<ParameterSampler> _samplers;
    private readonly RandomPlan _startup;

    private TpePlan(int trials, int seed, int startupTrials, int lag, IReadOnlyList<ParameterSampler> samplers, YNode trialsNode, string trialsPath)
    {
        _trials = trials;
        _seed = seed;
        _lag = lag;
        _samplers = samplers;
        _startup = new RandomPlan(startupTrials, seed, samplers, trialsNode, trialsPath);
        Columns = samplers.Select(s => s.Parameter).ToArray();
    }

    public override SweepStrategy Strategy => SweepStrategy.Tpe;

    public override IReadOnlyList<SpecParameter> Columns { get; }

    public override int? Seed => _seed;

    /// <summary>Reads sweep.parameters for a tpe sweep; the counts were checked by the caller.</summary>
    public static TpePlan? Read(YNode? parameters, string path, int trials, int seed, int startupTrials, int lag,
        YNode trialsNode, string trialsPath, SpecErrorSink errors)
    {
        var samplers = SamplerReader.ReadAll(parameters, path, "tpe", errors);
        if (samplers is null) return null;
        var modellable = true;
        foreach (var choice in samplers.OfType<ChoiceSampler>())
        {
            // Random search reads a repeat as a heavier weight; the TPE's prior is uniform over distinct choices.
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var value in choice.Values)
            {
                var text = choice.Parameter.Format(value.Value);
                if (seen.TryAdd(text, value.Origin.Path)) continue;
                errors.Add(value.Origin.Node, value.Origin.Path,
                    $"duplicate value {text} (already at {seen[text]}); tpe cannot model a weighted choice, list each value once");
                modellable = false;
            }
        }
        if (!modellable || !SamplerReader.AllowsDistinct(samplers, trials, trialsNode, trialsPath, errors)) return null;
        return new TpePlan(trials, seed, startupTrials, lag, samplers, trialsNode, trialsPath);
    }

    public override IReadOnlyList<ResolvedTrial> Expand(TrialResolver resolver, SpecErrorSink errors)
    {
        var startup = _startup.Expand(resolver, errors);
        CheckEveryValue(resolver);
        return startup;
    }

    /// <summary>
    /// The startup trials are only the first few: when epochs is searched, a later proposal may take the lowest value
    /// the space allows, so that bound counts too.
    /// </summary>
    public override int? FewestEpochs(IReadOnlyList<ResolvedTrial> expanded)
    {
        var lowest = _samplers.FirstOrDefault(s => s.Parameter.Name == "epochs") switch
        {
            IntUniformSampler u => u.Low,
            ChoiceSampler c when c.Values.Count > 0 => c.Values.Min(v => Convert.ToInt32(v.Value, System.Globalization.CultureInfo.InvariantCulture)),
            _ => (int?)null,
        };
        var expandedLowest = base.FewestEpochs(expanded);
        return lowest is { } l && expandedLowest is { } e ? Math.Min(l, e) : lowest ?? expandedLowest;
    }

    public override ITrialProposer Proposer(IReadOnlyList<ResolvedTrial> expanded, TrialResolver resolver) =>
        new TpeProposer(_trials, _seed, _lag, _samplers, expanded, a => resolver.Resolve(a, Columns));

    /// <summary>
    /// The model may propose any value of the space, so each bound and each choice is resolved now, next to the first
    /// random draw of the others, rather than failing once the sweep is under way. The resolver reports at the value.
    /// </summary>
    private void CheckEveryValue(TrialResolver resolver)
    {
        var rng = new SplitMix64(_seed);
        var first = _samplers.Select(s => s.Sample(rng)).ToArray();
        for (var i = 0; i < _samplers.Count; i++)
        {
            var sampler = _samplers[i];
            IEnumerable<Assignment> values = sampler switch
            {
                ChoiceSampler c => c.Values,
                UniformSampler u => [new(sampler.Parameter, u.Low, sampler.Origin), new(sampler.Parameter, u.High, sampler.Origin)],
                LogUniformSampler u => [new(sampler.Parameter, u.Low, sampler.Origin), new(sampler.Parameter, u.High, sampler.Origin)],
                IntUniformSampler u => new[] { u.Low, u.High }.Select(v => new Assignment(sampler.Parameter,
                    sampler.Parameter.Kind == ParameterKind.Real ? (double)v : (object)v, sampler.Origin)),
                _ => [],
            };
            foreach (var value in values)
            {
                var assignments = first.ToArray();
                assignments[i] = value;
                resolver.Resolve(assignments, Columns);
            }
        }
    }
}
