using VaeSweep.Client.Report;

namespace VaeSweep.Client.Tests.Report;

/// <summary>
/// Parameter importance through the random-forest surrogate, against the variance shares of functions whose
/// decomposition is known in closed form.
/// </summary>
public sealed class ForestImportanceTests
{
    private static readonly ForestOptions Forest = new();

    [Fact]
    public void An_additive_function_on_a_random_sample_gets_its_variance_shares()
    {
        // f = 3·g(x1) + 1·h(x2) + 0·x3 on [0, 1]³ with g = h = the step at ½ (variance ¼): main-effect variances 9/4,
        // 1/4 and 0, so shares 0.9, 0.1 and 0, no interaction. Steps, because a tree fits them exactly: what is tested
        // is the decomposition, not how well 60 points pin down a curve.
        var (axes, trials) = Continuous(new Random(11), 60, 3);
        var y = trials.Select(t => 3 * Step(X(axes[0], t)) + Step(X(axes[1], t))).ToList();
        var estimate = ParameterImportance.Estimate(axes, trials, y, Forest);

        Assert.Equal(ImportanceMethod.ForestSurrogate, estimate.Method);
        Assert.Null(estimate.Note);
        var f = estimate.Fractions!;
        Assert.Equal(0.9, f[0], 0.03);
        Assert.Equal(0.1, f[1], 0.03);
        Assert.Equal(0.0, f[2], 0.01);
        Assert.InRange(f.Sum(), 0, 1 + 1e-9);
    }

    [Fact]
    public void A_smooth_additive_function_is_ranked_by_its_shares()
    {
        // f = 3·x1 + x2 + 0·x3: shares 0.9, 0.1, 0. Trees approximate the slopes by steps, and a tree fitted to 60
        // points resolves the small slope less than the large one, so x2's share comes out low (Optuna's
        // FanovaImportanceEvaluator gives about 0.03 on such samples too); the order must hold.
        var (axes, trials) = Continuous(new Random(11), 60, 3);
        var y = trials.Select(t => 3 * X(axes[0], t) + X(axes[1], t)).ToList();
        var f = ParameterImportance.Estimate(axes, trials, y, Forest).Fractions!;
        Assert.InRange(f[0], 0.8, 1.0);
        Assert.True(f[0] > f[1] && f[1] > 3 * f[2], $"shares {string.Join(", ", f)}");
    }

    [Fact]
    public void A_function_of_one_parameter_is_all_that_parameter()
    {
        var (axes, trials) = Continuous(new Random(3), 40, 3);
        var y = trials.Select(t => Math.Sin(6 * X(axes[1], t))).ToList();
        var f = ParameterImportance.Estimate(axes, trials, y, Forest).Fractions!;
        Assert.InRange(f[1], 0.95, 1.0);
        Assert.InRange(f[0] + f[2], 0.0, 0.05);
    }

    [Fact]
    public void The_same_seed_gives_the_same_shares_and_another_seed_nearly_the_same()
    {
        var (axes, trials) = Continuous(new Random(2), 30, 2);
        var y = trials.Select(t => X(axes[0], t) - 2 * X(axes[1], t) * X(axes[1], t)).ToList();
        var first = ParameterImportance.Estimate(axes, trials, y, Forest).Fractions!;
        Assert.Equal(first, ParameterImportance.Estimate(axes, trials, y, Forest).Fractions!);
        var other = ParameterImportance.Estimate(axes, trials, y, Forest with { Seed = 9 }).Fractions!;
        Assert.NotEqual(first, other);
        for (var i = 0; i < first.Length; i++) Assert.Equal(first[i], other[i], 0.1);
    }

    [Fact]
    public void On_a_complete_grid_the_forest_agrees_with_the_exact_decomposition()
    {
        // A 4 × 3 × 2 grid of levels with additive effects (shares 0.835, 0.159, 0.005).
        double[] a = [0, 2, 5, 1], b = [0, -1, 1], c = [0, 0.3];
        var first = Levels("first", 4);
        var second = Levels("second", 3);
        var third = Levels("third", 2);
        var trials = new List<string>();
        var y = new List<double>();
        var values = (new Dictionary<string, ParameterValue>(), new Dictionary<string, ParameterValue>(), new Dictionary<string, ParameterValue>());
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 3; j++)
                for (var k = 0; k < 2; k++)
                {
                    var id = $"t{i}{j}{k}";
                    trials.Add(id);
                    values.Item1[id] = first[i];
                    values.Item2[id] = second[j];
                    values.Item3[id] = third[k];
                    y.Add(a[i] + b[j] + c[k]);
                }
        SurrogateAxis[] axes =
        [
            SurrogateAxis.For(new SweptParameter("first", false, false, first, values.Item1), null),
            SurrogateAxis.For(new SweptParameter("second", false, false, second, values.Item2), null),
            SurrogateAxis.For(new SweptParameter("third", false, false, third, values.Item3), null),
        ];
        var exact = ParameterImportance.Estimate(axes, trials, y, Forest);
        Assert.Equal(ImportanceMethod.ExactGrid, exact.Method);
        var forest = ParameterImportance.FromForest(axes, trials, y, Forest);
        for (var i = 0; i < 3; i++) Assert.Equal(exact.Fractions![i], forest.Fractions![i], 0.05);

        // One cell missing: no longer a grid, so the report takes the forest.
        Assert.Equal(ImportanceMethod.ForestSurrogate, ParameterImportance.Estimate(axes, trials.Skip(1).ToList(), y.Skip(1).ToList(), Forest).Method);
    }

    [Fact]
    public void Too_few_trials_or_one_parameter_say_why()
    {
        var (axes, trials) = Continuous(new Random(1), 7, 2);
        var y = trials.Select(t => X(axes[0], t)).ToList();
        var few = ParameterImportance.Estimate(axes, trials, y, Forest);
        Assert.Null(few.Fractions);
        Assert.Contains("needs at least 8 finished trials", few.Note);

        var (more, moreTrials) = Continuous(new Random(1), 20, 2);
        Assert.StartsWith("every finished trial has the same value", ParameterImportance.Estimate(more, moreTrials, moreTrials.Select(_ => 1.0).ToList(), Forest).Note);

        var (one, oneTrials) = Continuous(new Random(1), 20, 1);
        Assert.StartsWith("one swept parameter", ParameterImportance.Estimate(one, oneTrials, oneTrials.Select(t => X(one[0], t)).ToList(), Forest).Note);
    }

    [Fact]
    public void Log_uniform_parameters_are_decomposed_on_the_log_scale_over_the_spec_interval()
    {
        var lr = new SweptParameter("lr", true, true, [new("0.001", 0.001), new("0.01", 0.01)],
            new Dictionary<string, ParameterValue> { ["a"] = new("0.001", 0.001), ["b"] = new("0.01", 0.01) });
        var axis = SurrogateAxis.For(lr, new SearchDistribution(IntervalKind.LogUniform, 1e-4, 1e-1));
        Assert.Equal(Math.Log(1e-4), axis.Low, 12);
        Assert.Equal(Math.Log(1e-1), axis.High, 12);
        Assert.Equal(Math.Log(0.01), axis.Coordinate(lr.Levels[1]), 12);

        var latent = SurrogateAxis.For(lr with { Name = "latent" }, new SearchDistribution(IntervalKind.IntUniform, 0.001, 0.001));
        Assert.True(latent.Low <= 0.001 - 0.5 && latent.High >= 0.01);   // widened to hold every observed value
        Assert.Equal((-0.5, 1.5), (SurrogateAxis.For(lr, null).Low, SurrogateAxis.For(lr, null).High));
    }

    private static double Step(double x) => x > 0.5 ? 1 : 0;

    private static double X(SurrogateAxis axis, string trial) => axis.Coordinate(axis.Parameter.Values[trial]);

    private static List<ParameterValue> Levels(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ParameterValue($"{prefix}{i}", null))];

    /// <summary><paramref name="n"/> trials drawn uniformly on [0, 1]^k, each parameter uniform over [0, 1].</summary>
    private static (SurrogateAxis[] Axes, List<string> Trials) Continuous(Random rng, int n, int k)
    {
        var trials = Enumerable.Range(0, n).Select(i => $"t{i}").ToList();
        var axes = new SurrogateAxis[k];
        for (var d = 0; d < k; d++)
        {
            var values = trials.ToDictionary(t => t, _ =>
            {
                var v = rng.NextDouble();
                return new ParameterValue(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture), v);
            });
            var parameter = new SweptParameter($"x{d + 1}", true, false, [.. values.Values.OrderBy(v => v.Number)], values);
            axes[d] = SurrogateAxis.For(parameter, new SearchDistribution(IntervalKind.Uniform, 0, 1));
        }
        return (axes, trials);
    }
}
