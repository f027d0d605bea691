using VaeSweep.Client.Report;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Report;

public class SweptParametersTests
{
    private static Dictionary<string, TrialConfig> Configs(params TrialConfig[] configs) =>
        configs.Select((c, i) => (c, i)).ToDictionary(x => $"t{x.i}", x => x.c);

    [Fact]
    public void Only_keys_that_differ_are_swept_with_levels_in_order()
    {
        var swept = SweptParameters.Detect(Configs(
            new TrialConfig { Latent = 20, LearningRate = 1e-2, Activation = Activation.Tanh },
            new TrialConfig { Latent = 2, LearningRate = 1e-4, Activation = Activation.Relu },
            new TrialConfig { Latent = 10, LearningRate = 1e-3, Activation = Activation.Relu }));

        Assert.Equal(["latent", "activation", "lr"], swept.Select(p => p.Name));
        var latent = swept[0];
        Assert.Equal(["2", "10", "20"], latent.Levels.Select(l => l.Text));
        Assert.True(latent.Numeric);
        Assert.True(latent.LogScale);                 // 2 to 20: a factor of 10
        Assert.Equal(Math.Log10(10), latent.Position(latent.Values["t2"]), 12);
        var activation = swept[1];
        Assert.False(activation.Numeric);
        Assert.Equal(["relu", "tanh"], activation.Levels.Select(l => l.Text));
        Assert.Equal(1, activation.Position(activation.Values["t0"]));
        Assert.Equal("0.0001", swept[2].Values["t1"].Text);
    }

    [Fact]
    public void A_narrow_numeric_range_stays_linear()
    {
        var swept = SweptParameters.Detect(Configs(new TrialConfig { Sigma = 0.1 }, new TrialConfig { Sigma = 0.3 }));
        var sigma = Assert.Single(swept);
        Assert.False(sigma.LogScale);
        Assert.Equal(0.3, sigma.Position(sigma.Values["t1"]));
    }

    [Fact]
    public void Pairs_are_gridded_only_when_every_combination_occurs()
    {
        TrialConfig C(int latent, double beta, double sigma) => new() { Latent = latent, Beta = beta, Sigma = sigma };
        // latent × beta is a full grid; sigma varies with latent only (2 of its 4 combinations with latent occur).
        var swept = SweptParameters.Detect(Configs(C(2, 1, 0.1), C(2, 4, 0.1), C(3, 1, 0.3), C(3, 4, 0.3)));
        Assert.Equal(["latent", "sigma", "beta"], swept.Select(p => p.Name));

        var pairs = SweptParameters.GriddedPairs(swept);

        Assert.Equal([("latent", "beta"), ("sigma", "beta")], pairs.Select(p => (p.X.Name, p.Y.Name)));
    }

    [Fact]
    public void Nothing_is_swept_in_a_single_trial()
    {
        Assert.Empty(SweptParameters.Detect(Configs(new TrialConfig())));
    }
}
