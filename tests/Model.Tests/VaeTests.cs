using VaeSweep.Model.Randomness;
using VaeSweep.Model.Tests.TestSupport;
using static VaeSweep.Model.Tests.TestSupport.TensorAssert;

namespace VaeSweep.Model.Tests;

/// <summary>The whole objective, encoder → reparameterisation → decoder → likelihood, at a fixed ε.</summary>
public class VaeTests
{
    private const int D = 6, Rows = 3;

    public static TheoryData<Activation, Likelihood, int[]> Architectures => new()
    {
        { Activation.Relu, Likelihood.Gaussian, [5, 4] },
        { Activation.Tanh, Likelihood.Gaussian, [5] },
        { Activation.Softplus, Likelihood.Bernoulli, [5, 4] },
        { Activation.Identity, Likelihood.Bernoulli, [] },
        { Activation.Tanh, Likelihood.Bernoulli, [7] },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Parameter_gradients_match_finite_differences_of_the_double_objective(Activation activation, Likelihood likelihood, int[] hidden)
    {
        var config = new TrialConfig
        {
            Latent = 3, Hidden = hidden, Activation = activation, Likelihood = likelihood, Sigma = 0.5, Beta = 0.7,
            Binarization = likelihood == Likelihood.Bernoulli ? Binarization.Static : Binarization.None,
        };
        var model = new Vae(config, EngineOptions.Default, D);
        var rng = Xoshiro256StarStar.FromSeed(41);
        model.Initialize(rng);
        var ws = new VaeWorkspace(model, capacity: 4);   // larger than the batch: the leading rows are used
        for (var i = 0; i < Rows * D; i++)
            ws.X[i] = likelihood == Likelihood.Bernoulli ? (rng.NextSingle() < 0.5f ? 1 : 0) : rng.NextSingle();
        for (var i = 0; i < Rows * config.Latent; i++) ws.Eps[i] = (float)rng.NextGaussian();

        model.Forward(ws, Rows);
        model.ReconstructionWithGradient(ws, Rows);
        model.Backward(ws, Rows, config.Beta);

        var reference = new ReferenceVae(model, config);
        var theta = Reference.ToDouble(model.Parameters);
        var x = Reference.ToDouble(ws.X.AsSpan(0, Rows * D));
        var eps = Reference.ToDouble(ws.Eps.AsSpan(0, Rows * config.Latent));

        var (recon, kl) = reference.Terms(theta, x, eps, Rows);
        CheckTensor(ws.Recon.AsSpan(0, Rows), recon, "recon", 1e-4);
        CheckTensor(ws.Kl.AsSpan(0, Rows), kl, "KL", 1e-4);

        var fd = FiniteDifference.Gradient(theta, () => reference.Objective(theta, x, eps, Rows));
        foreach (var (layer, name) in model.Encoder.Select((l, i) => (l, $"encoder[{i}]"))
                     .Append((model.Head, "head"))
                     .Concat(model.Decoder.Select((l, i) => (l, $"decoder[{i}]")))
                     .Append((model.Output, "output")))
        {
            var w = fd.AsSpan(layer.Offset, layer.Out * layer.In);
            var b = fd.AsSpan(layer.Offset + layer.Out * layer.In, layer.Out);
            CheckTensor(layer.WeightGrad, w, $"{activation}/{likelihood} {name}.W", 5e-4);
            CheckTensor(layer.BiasGrad, b, $"{activation}/{likelihood} {name}.b", 5e-4);
        }
    }

    [Fact]
    public void Parameter_layout_is_encoder_head_decoder_output()
    {
        var model = new Vae(new TrialConfig { Latent = 20, Hidden = [400] }, EngineOptions.Default, 784);
        Assert.Equal(784 * 400 + 400 + 400 * 40 + 40 + 20 * 400 + 400 + 400 * 784 + 784, model.Parameters.Length);
        Assert.Equal((784, 400), (model.Encoder[0].In, model.Encoder[0].Out));
        Assert.Equal((400, 40), (model.Head.In, model.Head.Out));
        Assert.Equal((20, 400), (model.Decoder[0].In, model.Decoder[0].Out));
        Assert.Equal((400, 784), (model.Output.In, model.Output.Out));
        Assert.Equal(model.Parameters.Length, model.Output.Offset + model.Output.ParameterCount);
    }
}
