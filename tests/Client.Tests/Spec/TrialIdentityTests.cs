using VaeSweep.Client.Spec;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Spec;

public sealed class TrialIdentityTests
{
    private static readonly DatasetSpec Dataset = new("fashion-mnist", "/usr/share/datasets/fashion-mnist");

    [Fact]
    public void The_id_of_a_known_trial_never_changes()
    {
        // Golden values (the hash checked with sha256sum): stored ids must stay valid across builds and runtimes.
        // Changing the canonical form changes every id; do it only on purpose (and migrate the stores).
        Assert.Equal(
            """{"dataset":{"limit":0,"name":"fashion-mnist","path":"/usr/share/datasets/fashion-mnist","split_seed":0,"validation":5000},"eval":{"examples":1000,"importance_samples":1000},"model":{"activation":"relu","beta":1,"binarization":"none","hidden":[400],"latent":20,"likelihood":"gaussian","sigma":0.1},"train":{"batch_size":128,"epochs":10,"lr":0.001,"seed":1,"threads":1}}""",
            CanonicalTrialJson.Write(new TrialConfig(), Dataset));
        Assert.Equal(GoldenId, TrialIdentity.Of(new TrialConfig(), Dataset));
    }

    private const string GoldenId = "80d69a80f5da189398747c587efeb2f6b115bfc8528bd7a475925b53d482985b";

    [Fact]
    public void Differently_written_specs_of_the_same_trials_give_the_same_ids()
    {
        var flow = SpecTesting.Valid("""
            name: a
            dataset: { path: /data/fm, name: fm }
            model: { hidden: [400], latent: 10, activation: relu }
            train: { epochs: 3, lr: 0.001 }
            sweep: { strategy: grid, parameters: { sigma: [0.1, 0.3], beta: [1, 4] } }
            """);
        var block = SpecTesting.Valid("""
            # the same sweep, written another way
            name: b
            sweep:
              parameters:
                sigma:
                  - 1e-1
                  - 0.30
                beta: [1.0, 4.000]
            train:
              lr: 1.0e-3
              epochs: 3
            model:
              activation: "relu"
              latent: 10
              likelihood: gaussian
              binarization: none
            eval: { importance_samples: 1000 }
            dataset:
              name: 'fm'
              validation: 5000
              path: "/data/fm"
            """);

        Assert.Equal(flow.Expand().Select(t => t.Id), block.Expand().Select(t => t.Id));
        Assert.Equal(flow.Expand().Select(t => t.CanonicalJson), block.Expand().Select(t => t.CanonicalJson));
        Assert.NotEqual(flow.Sha256, block.Sha256);
    }

    [Fact]
    public void Any_difference_in_config_or_dataset_changes_the_id()
    {
        var c = new TrialConfig();
        var variants = new (TrialConfig Config, DatasetSpec Dataset)[]
        {
            (c, Dataset),
            (c with { Seed = 2 }, Dataset),
            (c with { Threads = 2 }, Dataset),
            (c with { Sigma = 0.1 + 1e-15 }, Dataset),
            (c with { Hidden = [400, 400] }, Dataset),
            (c with { ImportanceSamples = 999 }, Dataset),
            (c, Dataset with { Path = "/other" }),
            (c, Dataset with { Validation = 4999 }),
            (c, Dataset with { SplitSeed = 1 }),
            (c, Dataset with { Limit = 2000 }),
            (c, Dataset with { Name = "fmnist" }),
        };

        var ids = variants.Select(v => TrialIdentity.Of(v.Config, v.Dataset)).ToList();

        Assert.Equal(variants.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Negative_zero_and_zero_are_the_same_trial()
    {
        Assert.Equal(
            TrialIdentity.Of(new TrialConfig { Beta = 0.0 }, Dataset),
            TrialIdentity.Of(new TrialConfig { Beta = -0.0 }, Dataset));
    }

    [Fact]
    public void Short_ids_are_the_first_sixteen_characters()
    {
        var id = TrialIdentity.Of(new TrialConfig(), Dataset);

        Assert.Equal(64, id.Length);
        Assert.Equal(id[..16], TrialIdentity.Short(id));
    }
}
