using System.Security.Cryptography;
using System.Text;
using VaeSweep.Client.Spec;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Spec;

public sealed class SpecParserExampleTests
{
    /// <summary>The spec format's reference example, verbatim.</summary>
    private const string Example = """
        name: fashion-quick
        dataset: { name: fashion-mnist, path: /usr/share/datasets/fashion-mnist, validation: 5000 }
        model: { hidden: [400], activation: relu, likelihood: gaussian }
        train: { epochs: 3, batch_size: 128, seed: 1 }
        eval: { importance_samples: 1000, examples: 1000 }
        sweep:
          strategy: grid            # grid | random (with `trials:` and a seed) | list (explicit configs)
          parameters:
            latent: [2, 10, 20]
            sigma: [0.1, 0.3]
            beta: [1.0, 4.0]
            lr: [0.001]
        """;

    [Fact]
    public void The_example_expands_to_twelve_trials_in_grid_order()
    {
        var spec = SpecTesting.Valid(Example);
        var trials = spec.Expand();

        Assert.Equal(12, trials.Count);
        Assert.Equal(12, spec.TrialCount);
        var expected = new List<(int, double, double, double)>();
        foreach (var latent in new[] { 2, 10, 20 })
        foreach (var sigma in new[] { 0.1, 0.3 })
        foreach (var beta in new[] { 1.0, 4.0 })
            expected.Add((latent, sigma, beta, 0.001));
        Assert.Equal(expected, trials.Select(t => (t.Config.Latent, t.Config.Sigma, t.Config.Beta, t.Config.LearningRate)));
    }

    [Fact]
    public void The_example_sets_every_base_value()
    {
        var spec = SpecTesting.Valid(Example);

        Assert.Equal("fashion-quick", spec.Name);
        Assert.Null(spec.Description);
        Assert.Equal(SpecTesting.File, spec.FileName);
        Assert.Equal(SweepStrategy.Grid, spec.Strategy);
        Assert.Null(spec.Seed);
        Assert.Equal(["latent", "sigma", "beta", "lr"], spec.SweptParameters);
        Assert.Equal(new DatasetSpec("fashion-mnist", "/usr/share/datasets/fashion-mnist", 5000, 0, 0), spec.Dataset);
        foreach (var trial in spec.Expand())
        {
            var c = trial.Config;
            Assert.Equal([400], c.Hidden);
            Assert.Equal(Activation.Relu, c.Activation);
            Assert.Equal(Likelihood.Gaussian, c.Likelihood);
            Assert.Equal(Binarization.None, c.Binarization);
            Assert.Equal(3, c.Epochs);
            Assert.Equal(128, c.BatchSize);
            Assert.Equal(1, c.Seed);
            Assert.Equal(1, c.Threads);
            Assert.Equal(1000, c.ImportanceSamples);
            Assert.Equal(1000, c.EvalExamples);
            Assert.Empty(c.Validate());
            Assert.Same(spec.Dataset, trial.Dataset);
        }
    }

    [Fact]
    public void Each_trial_carries_its_swept_values_and_a_distinct_full_id()
    {
        var trials = SpecTesting.Valid(Example).Expand();

        Assert.Equal(["latent=2", "sigma=0.1", "beta=1", "lr=0.001"], trials[0].Swept.Select(s => s.ToString()));
        Assert.Equal(["latent=20", "sigma=0.3", "beta=4", "lr=0.001"], trials[11].Swept.Select(s => s.ToString()));
        Assert.Equal(20, trials[11].Swept[0].Value);
        Assert.Equal(0.3, trials[11].Swept[1].Value);
        Assert.Equal(12, trials.Select(t => t.Id).Distinct().Count());
        foreach (var t in trials)
        {
            Assert.Matches("^[0-9a-f]{64}$", t.Id);
            Assert.Equal(t.Id[..16], t.ShortId);
            Assert.Equal(TrialIdentity.Sha256Hex(t.CanonicalJson), t.Id);
        }
    }

    [Fact]
    public void The_spec_keeps_its_text_and_its_sha256()
    {
        var spec = SpecTesting.Valid(Example);

        Assert.Equal(Example, spec.Text);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Example))), spec.Sha256);
    }

    [Fact]
    public void The_dataset_directory_is_checked_through_the_injected_function()
    {
        var asked = new List<string>();
        SpecTesting.Valid(Example, new SpecParserOptions { DirectoryExists = p => { asked.Add(p); return true; } });

        Assert.Equal(["/usr/share/datasets/fashion-mnist"], asked);
    }

    [Fact]
    public void The_checked_in_example_is_the_reference_example()
    {
        var path = Path.Combine(SpecTesting.RepositoryRoot(), "experiments", "fashion-quick.yaml");
        var fromFile = SpecTesting.Valid(File.ReadAllText(path)).Expand();

        Assert.Equal(SpecTesting.Valid(Example).Expand().Select(t => t.Id), fromFile.Select(t => t.Id));
    }

    [Fact]
    public void Defaults_fill_what_the_spec_leaves_out()
    {
        var spec = SpecTesting.Valid("""
            name: defaults
            dataset: { path: /data/fashion-mnist/ }
            sweep: { parameters: { latent: [3] } }
            """);
        var c = spec.Expand().Single().Config;

        Assert.Equal(new DatasetSpec("fashion-mnist", "/data/fashion-mnist/", 5000, 0, 0), spec.Dataset);
        var defaults = new TrialConfig();
        Assert.Equal(3, c.Latent);
        Assert.Equal(defaults.Hidden, c.Hidden);
        Assert.Equal(defaults.Sigma, c.Sigma);
        Assert.Equal(defaults.Epochs, c.Epochs);
        Assert.Equal(defaults.ImportanceSamples, c.ImportanceSamples);
        Assert.Equal(SweepStrategy.Grid, spec.Strategy);
    }

    [Fact]
    public void Binarization_defaults_follow_each_trials_likelihood()
    {
        var trials = SpecTesting.Valid(SpecTesting.Header + """
            sweep:
              parameters:
                likelihood: [gaussian, bernoulli]
            """).Expand();

        Assert.Equal([Binarization.None, Binarization.Static], trials.Select(t => t.Config.Binarization));
    }
}
