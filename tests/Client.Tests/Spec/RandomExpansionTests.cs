using VaeSweep.Client.Spec;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Spec;

public sealed class RandomExpansionTests
{
    private static string Spec(int seed, int trials = 40) => SpecTesting.Header + $$"""
        sweep:
          strategy: random
          trials: {{trials}}
          seed: {{seed}}
          parameters:
            latent: { int_uniform: [2, 32] }
            sigma: { log_uniform: [0.05, 0.5] }
            beta: { uniform: [0.5, 4.0] }
            hidden: [[400], [512, 256]]
            activation: { choice: [relu, softplus] }
        """;

    [Fact]
    public void The_same_seed_gives_the_same_trials()
    {
        var first = SpecTesting.Valid(Spec(7)).Expand();
        var second = SpecTesting.Valid(Spec(7)).Expand();

        Assert.Equal(40, first.Count);
        Assert.Equal(first.Select(t => t.Id), second.Select(t => t.Id));
        Assert.Equal(7, SpecTesting.Valid(Spec(7)).Seed);
        Assert.Equal(SweepStrategy.Random, SpecTesting.Valid(Spec(7)).Strategy);
    }

    [Fact]
    public void Another_seed_gives_other_trials()
    {
        var a = SpecTesting.Valid(Spec(7)).Expand().Select(t => t.Id);
        var b = SpecTesting.Valid(Spec(8)).Expand().Select(t => t.Id);

        Assert.Empty(a.Intersect(b));
    }

    [Fact]
    public void Draws_stay_within_their_ranges_and_choices_and_are_distinct()
    {
        var trials = SpecTesting.Valid(Spec(3, trials: 200)).Expand();

        Assert.Equal(200, trials.Select(t => t.Id).Distinct().Count());
        Assert.All(trials, t =>
        {
            Assert.InRange(t.Config.Latent, 2, 32);
            Assert.InRange(t.Config.Sigma, 0.05, 0.5);
            Assert.InRange(t.Config.Beta, 0.5, 4.0);
            Assert.Contains(string.Join(",", t.Config.Hidden), new[] { "400", "512,256" });
            Assert.Contains(t.Config.Activation, new[] { Activation.Relu, Activation.Softplus });
        });
        // Every choice is taken, and the integer range reaches both ends.
        Assert.Equal(2, trials.Select(t => t.Config.Activation).Distinct().Count());
        Assert.Equal(2, trials.Select(t => t.Config.Hidden.Count).Distinct().Count());
        Assert.Equal(2, trials.Min(t => t.Config.Latent));
        Assert.Equal(32, trials.Max(t => t.Config.Latent));
    }

    [Fact]
    public void Log_uniform_puts_half_the_draws_below_the_geometric_midpoint()
    {
        // Uniform on [1e-4, 1e-2] would put only 9 % below 1e-3; log-uniform puts half.
        var trials = SpecTesting.Valid(SpecTesting.Header + """
            sweep:
              strategy: random
              trials: 400
              seed: 11
              parameters:
                lr: { log_uniform: [0.0001, 0.01] }
            """).Expand();

        Assert.All(trials, t => Assert.InRange(t.Config.LearningRate, 1e-4, 1e-2));
        var below = trials.Count(t => t.Config.LearningRate < 1e-3) / (double)trials.Count;
        Assert.InRange(below, 0.4, 0.6);
    }

    [Fact]
    public void Int_uniform_is_inclusive_and_repeats_are_redrawn()
    {
        var trials = SpecTesting.Valid(SpecTesting.Header + """
            sweep:
              strategy: random
              trials: 3
              parameters:
                latent: { int_uniform: [1, 3] }
            """).Expand();

        Assert.Equal([1, 2, 3], trials.Select(t => t.Config.Latent).Order());
        Assert.Equal(0, SpecTesting.Valid(SpecTesting.Header + "sweep: { strategy: random, trials: 1, parameters: { latent: [4] } }\n").Seed);
    }

    [Fact]
    public void Asking_for_more_trials_than_the_choices_allow_is_an_error()
    {
        var error = SpecTesting.Single(SpecTesting.Header + """
            sweep:
              strategy: random
              trials: 5
              parameters:
                latent: [2, 4]
                activation: { choice: [relu, tanh] }
            """);

        SpecTesting.AssertAt(error, 7, 11, "sweep.trials: asks for 5 distinct trials but the parameters allow only 4");
    }

    [Fact]
    public void Invalid_draws_are_reported_at_the_distribution()
    {
        var error = SpecTesting.Single(SpecTesting.Header + """
            sweep:
              strategy: random
              trials: 20
              parameters:
                sigma: { uniform: [-1.0, 1.0] }
            """);

        Assert.Equal((9, 23), (error.Line, error.Column));
        Assert.StartsWith("sweep.parameters.sigma.uniform: must be a positive number, got -", error.Message);
    }

    [Fact]
    public void An_int_uniform_real_parameter_takes_whole_values()
    {
        var trials = SpecTesting.Valid(SpecTesting.Header + """
            sweep:
              strategy: random
              trials: 4
              parameters:
                beta: { int_uniform: [1, 4] }
            """).Expand();

        Assert.Equal([1.0, 2.0, 3.0, 4.0], trials.Select(t => t.Config.Beta).Order());
    }

    [Fact]
    public void Random_needs_something_to_draw()
    {
        SpecTesting.AssertAt(SpecTesting.Single(SpecTesting.Header + "sweep: { strategy: random, trials: 2, parameters: {} }\n"),
            5, 51, "sweep.parameters: strategy random needs at least one parameter to draw");
        SpecTesting.AssertAt(SpecTesting.Single(SpecTesting.Header + "sweep: { strategy: random, trials: 2 }\n"),
            5, 1, "sweep: strategy random needs 'parameters' to draw from");
    }
}
