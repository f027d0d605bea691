using System.Numerics;
using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>The cartesian product of the parameter lists: parameters in file order, the last varying fastest.</summary>
internal sealed class GridPlan(IReadOnlyList<GridPlan.Axis> axes) : SweepPlan
{
    /// <summary>One swept parameter and its values, each with the list element it came from.</summary>
    public sealed record Axis(SpecParameter Parameter, IReadOnlyList<Assignment> Values);

    public override SweepStrategy Strategy => SweepStrategy.Grid;

    public override IReadOnlyList<SpecParameter> Columns { get; } = axes.Select(a => a.Parameter).ToArray();

    public static BigInteger Count(IReadOnlyList<Axis> axes) =>
        axes.Aggregate(BigInteger.One, (n, a) => n * a.Values.Count);

    /// <summary>
    /// Reads sweep.parameters for a grid; null when it cannot be expanded (errors reported). Values that could not be
    /// read are left out, so the remaining trials are still checked and every problem is reported in one go.
    /// </summary>
    public static GridPlan? Read(YNode? parameters, YNode? key, string path, int maxTrials, SpecErrorSink errors)
    {
        var axes = new List<Axis>();
        if (parameters is not null)
        {
            var fields = SweepParameters.Read(parameters, path, errors);
            if (fields is null) return null;
            foreach (var entry in fields.Entries)
            {
                var parameter = ParameterCatalog.ByName[entry.Key.Value];
                var values = SweepParameters.ReadValueList(parameter, entry.Value, MappingFields.Join(path, parameter.Name), errors, rejectDuplicates: true);
                if (values is { Count: > 0 }) axes.Add(new Axis(parameter, values));
            }
        }
        var count = Count(axes);
        if (count > maxTrials)
        {
            errors.Add(key!, path,
                $"the grid has {count} trials ({string.Join(" × ", axes.Select(a => a.Values.Count))}), more than the limit of {maxTrials}; " +
                "use fewer values, strategy: random, or raise the limit");
            return null;
        }
        return new GridPlan(axes);
    }

    public override IReadOnlyList<ResolvedTrial> Expand(TrialResolver resolver, SpecErrorSink errors)
    {
        var trials = new List<ResolvedTrial>();
        var index = new int[axes.Count];
        while (true)
        {
            var assignments = axes.Select((a, i) => a.Values[index[i]]).ToArray();
            if (resolver.Resolve(assignments, Columns) is { } trial) trials.Add(trial);
            var k = axes.Count - 1;
            while (k >= 0 && ++index[k] == axes[k].Values.Count) index[k--] = 0;
            if (k < 0) return trials;
        }
    }
}
