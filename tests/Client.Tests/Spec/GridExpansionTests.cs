using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Spec;

public sealed class GridExpansionTests
{
    [Fact]
    public void Parameters_vary_in_file_order_with_the_last_fastest()
    {
        var trials = SpecTesting.Valid(SpecTesting.Header + """
            sweep:
              parameters:
                activation: [tanh, relu]
                hidden: [[16], [32, 8]]
                seed: [5, 6, 7]
            """).Expand();

        Assert.Equal(12, trials.Count);
        var expected = new List<string>();
        foreach (var a in new[] { "tanh", "relu" })
        foreach (var h in new[] { "[16]", "[32, 8]" })
        foreach (var s in new[] { "5", "6", "7" })
            expected.Add($"activation={a} hidden={h} seed={s}");
        Assert.Equal(expected, trials.Select(t => string.Join(" ", t.Swept)));
        Assert.Equal([32, 8], trials[4].Config.Hidden);
        Assert.Equal(Activation.Relu, trials[11].Config.Activation);
        Assert.Equal(7, trials[11].Config.Seed);
    }

    [Fact]
    public void A_swept_value_overrides_the_base_section_and_the_rest_is_kept()
    {
        var trials = SpecTesting.Valid(SpecTesting.Header + "sweep: { parameters: { latent: [5, 6] } }\n").Expand();

        // The header sets latent: 2, hidden: [8], epochs: 1.
        Assert.Equal([5, 6], trials.Select(t => t.Config.Latent));
        Assert.All(trials, t => Assert.Equal([8], t.Config.Hidden));
        Assert.All(trials, t => Assert.Equal(1, t.Config.Epochs));
    }

    [Fact]
    public void Without_parameters_a_grid_is_the_single_base_trial()
    {
        var spec = SpecTesting.Valid(SpecTesting.Header + "sweep: { strategy: grid }\n");

        var trial = Assert.Single(spec.Expand());
        Assert.Empty(spec.SweptParameters);
        Assert.Empty(trial.Swept);
        Assert.Equal(2, trial.Config.Latent);
    }

    [Fact]
    public void Every_model_train_and_eval_setting_can_be_swept()
    {
        var trials = SpecTesting.Valid(SpecTesting.Header + """
            sweep:
              parameters:
                hidden: [[4, 4]]
                activation: [softplus]
                likelihood: [bernoulli]
                latent: [3]
                sigma: [0.25]
                beta: [0.5]
                binarization: [dynamic]
                epochs: [2]
                batch_size: [64]
                seed: [9]
                lr: [0.01]
                threads: [2]
                importance_samples: [50]
                examples: [0]
            """).Expand();

        var c = Assert.Single(trials).Config;
        Assert.Equal(
            ([4, 4], Activation.Softplus, Likelihood.Bernoulli, 3, 0.25, 0.5, Binarization.Dynamic),
            (c.Hidden.ToArray(), c.Activation, c.Likelihood, c.Latent, c.Sigma, c.Beta, c.Binarization),
            new TupleComparer());
        Assert.Equal((2, 64, 9, 0.01, 2, 50, 0), (c.Epochs, c.BatchSize, c.Seed, c.LearningRate, c.Threads, c.ImportanceSamples, c.EvalExamples));
    }

    /// <summary>Value tuples compare their array member by reference; this compares it by elements.</summary>
    private sealed class TupleComparer : IEqualityComparer<(int[], Activation, Likelihood, int, double, double, Binarization)>
    {
        public bool Equals((int[], Activation, Likelihood, int, double, double, Binarization) x, (int[], Activation, Likelihood, int, double, double, Binarization) y) =>
            x.Item1.SequenceEqual(y.Item1) && (x.Item2, x.Item3, x.Item4, x.Item5, x.Item6, x.Item7) == (y.Item2, y.Item3, y.Item4, y.Item5, y.Item6, y.Item7);

        public int GetHashCode((int[], Activation, Likelihood, int, double, double, Binarization) obj) => obj.Item4;
    }
}
