using VaeSweep.Client.Spec;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Spec;

public sealed class ListStrategyTests
{
    [Fact]
    public void Each_config_overrides_the_base_in_file_order()
    {
        var spec = SpecTesting.Valid("""
            name: bern
            dataset: { path: /data/fm }
            model: { hidden: [400], likelihood: bernoulli, binarization: dynamic, latent: 20 }
            train: { epochs: 10 }
            sweep:
              strategy: list
              configs:
                - { latent: 2 }
                - { hidden: [512, 256], beta: 0.5 }
                - {}
            """);
        var trials = spec.Expand();

        Assert.Equal(SweepStrategy.List, spec.Strategy);
        Assert.Equal(["latent", "hidden", "beta"], spec.SweptParameters);
        Assert.Equal([2, 20, 20], trials.Select(t => t.Config.Latent));
        Assert.Equal(["[400]", "[512, 256]", "[400]"], trials.Select(t => t.Swept[1].Text));
        Assert.Equal([1.0, 0.5, 1.0], trials.Select(t => t.Config.Beta));
        Assert.All(trials, t => Assert.Equal(Binarization.Dynamic, t.Config.Binarization));
        Assert.All(trials, t => Assert.Equal(10, t.Config.Epochs));
    }

    [Fact]
    public void Binarization_follows_the_likelihood_each_config_chooses()
    {
        var trials = SpecTesting.Valid(SpecTesting.Header + """
            sweep:
              strategy: list
              configs:
                - { likelihood: gaussian }
                - { likelihood: bernoulli }
                - { likelihood: bernoulli, binarization: dynamic }
            """).Expand();

        Assert.Equal([Binarization.None, Binarization.Static, Binarization.Dynamic], trials.Select(t => t.Config.Binarization));
    }

    [Fact]
    public void Two_configs_that_resolve_to_the_same_trial_are_an_error()
    {
        var error = SpecTesting.Single(SpecTesting.Header + """
            sweep:
              strategy: list
              configs:
                - { latent: 4 }
                - { latent: 2 }
                - { latent: 4, sigma: 0.1 }
            """);

        // The header's latent is 2, so configs[1] is the base trial, distinct from configs[0]; configs[2] repeats configs[0].
        SpecTesting.AssertAt(error, 10, 7, "sweep.configs[2]: the same trial as sweep.configs[0]");
    }

    [Fact]
    public void Bad_configs_are_reported_at_their_values()
    {
        var errors = SpecTesting.Errors(SpecTesting.Header + """
            sweep:
              strategy: list
              configs:
                - { latent: 0 }
                - { latnet: 3, sigma: [0.1] }
                - 5
            """);

        Assert.Equal(4, errors.Count);
        SpecTesting.AssertAt(errors[0], 8, 17, "sweep.configs[0].latent: must be at least 1, got 0");
        SpecTesting.AssertAt(errors[1], 9, 9, "sweep.configs[1].latnet: unknown key (did you mean 'latent'?)");
        SpecTesting.AssertAt(errors[2], 9, 27, "sweep.configs[1].sigma: must be a number, got a list");
        Assert.Equal((10, 7), (errors[3].Line, errors[3].Column));
        Assert.StartsWith("sweep.configs[2]: must be a mapping", errors[3].Message);
    }

    [Fact]
    public void List_needs_a_non_empty_configs_list()
    {
        SpecTesting.AssertAt(SpecTesting.Single(SpecTesting.Header + "sweep: { strategy: list }\n"),
            5, 1, "sweep: strategy list needs 'configs', a list of parameter mappings");
        SpecTesting.AssertAt(SpecTesting.Single(SpecTesting.Header + "sweep: { strategy: list, configs: [] }\n"),
            5, 35, "sweep.configs: must be a non-empty list of mappings such as [{ latent: 2, sigma: 0.1 }], got an empty list");
        SpecTesting.AssertAt(SpecTesting.Single(SpecTesting.Header + "sweep: { strategy: list, configs: [{}], parameters: { latent: [2] } }\n"),
            5, 41, "sweep.parameters: not used by strategy list (only by grid, random and tpe)");
    }
}
