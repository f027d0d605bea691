using VaeSweep.Client.Spec;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Spec;

/// <summary>model.engine and model.arch: sweepable keys, part of a torch trial's identity, checked at spec time.</summary>
public sealed class EngineSpecTests
{
    private static readonly DatasetSpec Dataset = new("fashion-mnist", "/usr/share/datasets/fashion-mnist");

    [Fact]
    public void Engine_is_sweepable_and_a_torch_trial_is_another_trial()
    {
        var spec = SpecTesting.Valid(SpecTesting.Header + "sweep: { parameters: { engine: [native, torch], arch: [mlp] } }\n");
        var trials = spec.Expand();
        Assert.Equal([Engine.Native, Engine.Torch], trials.Select(t => t.Config.Engine));
        Assert.Equal(2, trials.Select(t => t.Id).Distinct().Count());
        Assert.DoesNotContain("engine", trials[0].CanonicalJson);
        Assert.Contains("\"engine\":\"torch\"", trials[1].CanonicalJson);
    }

    [Fact]
    public void Native_mlp_ids_are_the_ids_from_before_the_keys_existed()
    {
        // Stores written before engine and arch existed keep finding their trials: at the defaults the keys are left out.
        var plain = TrialIdentity.Of(new TrialConfig(), Dataset);
        Assert.Equal(plain, TrialIdentity.Of(new TrialConfig { Engine = Engine.Native, Arch = Architecture.Mlp }, Dataset));
        Assert.NotEqual(plain, TrialIdentity.Of(new TrialConfig { Engine = Engine.Torch }, Dataset));
        Assert.NotEqual(
            TrialIdentity.Of(new TrialConfig { Engine = Engine.Torch }, Dataset),
            TrialIdentity.Of(new TrialConfig { Engine = Engine.Torch, Arch = Architecture.Conv }, Dataset));
    }

    [Fact]
    public void A_torch_conv_trial_round_trips_through_its_canonical_json()
    {
        var config = new TrialConfig { Engine = Engine.Torch, Arch = Architecture.Conv, Latent = 4 };
        var json = CanonicalTrialJson.Write(config, Dataset);
        var (read, dataset) = CanonicalTrialJson.Read(json);
        Assert.Equal((Engine.Torch, Architecture.Conv, 4), (read.Engine, read.Arch, read.Latent));
        Assert.Equal(Dataset, dataset);
        Assert.Equal(json, CanonicalTrialJson.Write(read, dataset));
    }

    [Fact]
    public void Conv_on_the_native_engine_is_an_error_at_the_arch_key()
    {
        var error = SpecTesting.Single("""
            name: t
            dataset: { path: /data/fm }
            model: { hidden: [8], latent: 2, arch: conv }
            train: { epochs: 1 }
            sweep: { parameters: { beta: [1] } }
            """);
        SpecTesting.AssertAt(error, 3, 40, "model.arch: conv needs engine: torch (the native engine has only mlp)");
    }

    [Fact]
    public void Torch_where_libtorch_does_not_load_is_an_error_naming_the_cause_at_the_engine_key()
    {
        var options = SpecTesting.AnyDirectory with
        {
            EngineUnavailability = e => e == Engine.Torch ? "libtorch does not load: DllNotFoundException: libtorch_cpu.so" : null,
        };
        var error = SpecTesting.Single(SpecTesting.Header + "sweep: { parameters: { engine: [native, torch] } }\n", options);
        Assert.Equal(5, error.Line);
        Assert.Equal(
            "sweep.parameters.engine[1]: torch cannot train here: libtorch does not load: DllNotFoundException: libtorch_cpu.so",
            error.Message);
    }

    [Fact]
    public void An_unknown_engine_is_an_error_listing_the_known_ones()
    {
        var error = SpecTesting.Single("""
            name: t
            dataset: { path: /data/fm }
            model: { engine: jax }
            sweep: { parameters: { beta: [1] } }
            """);
        SpecTesting.AssertAt(error, 3, 18, "model.engine: must be one of native, torch, got 'jax'");
    }
}
