using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>
/// <c>trials</c> distinct trials drawn with a seeded <see cref="SplitMix64"/>: per draw, each parameter in file
/// order. A draw that repeats an earlier trial is skipped, so the same spec always gives the same trials.
/// </summary>
internal sealed class RandomPlan(int trials, int seed, IReadOnlyList<ParameterSampler> samplers, YNode trialsNode, string trialsPath)
    : SweepPlan
{
    // Coupon collecting all n of n equally likely trials takes about n ln n draws; 50 n covers n up to e^50.
    private const int DrawsPerTrial = 50;

    public override SweepStrategy Strategy => SweepStrategy.Random;

    public override IReadOnlyList<SpecParameter> Columns { get; } = samplers.Select(s => s.Parameter).ToArray();

    public override int? Seed => seed;

    /// <summary>Reads sweep.parameters for a random sweep (a list per parameter, or a distribution).</summary>
    public static RandomPlan? Read(YNode? parameters, string path, int trials, int seed, YNode trialsNode, string trialsPath, SpecErrorSink errors)
    {
        var samplers = SamplerReader.ReadAll(parameters, path, "random", errors);
        if (samplers is null || !SamplerReader.AllowsDistinct(samplers, trials, trialsNode, trialsPath, errors)) return null;
        return new RandomPlan(trials, seed, samplers, trialsNode, trialsPath);
    }

    public override IReadOnlyList<ResolvedTrial> Expand(TrialResolver resolver, SpecErrorSink errors)
    {
        var rng = new SplitMix64(seed);
        var found = new List<ResolvedTrial>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var maxDraws = (long)DrawsPerTrial * trials + 1000;
        var errorsBefore = errors.Count;
        for (long draw = 0; found.Count < trials; draw++)
        {
            // Invalid draws make the spec fail; no need to look for replacements once every slot has been drawn.
            if (errors.Count > errorsBefore && draw >= trials) break;
            if (draw >= maxDraws)
            {
                errors.Add(trialsNode, trialsPath, $"found only {found.Count} distinct trials in {draw} draws; ask for fewer trials or widen the parameters");
                break;
            }
            var assignments = samplers.Select(s => s.Sample(rng)).ToArray();
            if (resolver.Resolve(assignments, Columns) is { } trial && ids.Add(trial.Id)) found.Add(trial);
        }
        return found;
    }
}
