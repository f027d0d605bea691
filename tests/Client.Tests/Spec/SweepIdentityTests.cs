using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Tests.Spec;

public sealed class SweepIdentityTests
{
    private const string Grid = """
        name: t
        dataset: { path: /data/fm }
        model: { hidden: [8], latent: 2 }
        train: { epochs: 4 }
        sweep:
          strategy: grid
          parameters:
            latent: [2, 3]
            lr: [0.001, 0.01]
        """;

    private static string Of(string yaml) => SweepIdentity.Of(SpecTesting.Valid(yaml));

    [Fact]
    public void Comments_formatting_key_order_description_and_value_order_change_nothing()
    {
        var reworded = """
            # the same sweep, written differently
            description: a note that is not part of any trial
            train:
              epochs: 4        # trailing comment
            model: { latent: 2, hidden: [ 8 ] }
            name: t
            dataset:
              path: /data/fm
            sweep:
              parameters:
                lr: [0.01, 0.001]
                latent: [3, 2]
              strategy: grid
            """;

        Assert.NotEqual(TrialIdentity.Sha256Hex(Grid), TrialIdentity.Sha256Hex(reworded));
        Assert.Equal(Of(Grid), Of(reworded));
    }

    [Fact]
    public void A_changed_trial_or_schedule_is_another_version()
    {
        var identities = new[]
        {
            Of(Grid),
            Of(Grid.Replace("latent: [2, 3]", "latent: [2, 3, 4]")),
            Of(Grid.Replace("epochs: 4", "epochs: 5")),
            Of(Grid.Replace("path: /data/fm", "path: /data/mnist")),
            Of(Grid + "\nschedule: { kind: asha }\n"),
            Of(Grid + "\nschedule: { kind: asha, grace: 2 }\n"),
            Of(Grid + "\nschedule: { kind: median }\n"),
        };

        Assert.Equal(identities.Length, identities.Distinct().Count());
        // An explicit "none" is the default schedule, and its other keys decide nothing.
        Assert.Equal(Of(Grid), Of(Grid + "\nschedule: { kind: none }\n"));
    }

    [Fact]
    public void A_random_sweep_keeps_its_first_draws_when_trials_grows()
    {
        string Random(int trials) => $$"""
            name: t
            dataset: { path: /data/fm }
            train: { epochs: 1 }
            sweep:
              strategy: random
              trials: {{trials}}
              seed: 5
              parameters:
                latent: { int_uniform: [2, 32] }
                lr: { log_uniform: [0.0001, 0.01] }
                hidden: [[8], [16, 8]]
            """;

        var few = SpecTesting.Valid(Random(4)).Expand().Select(t => t.Id).ToList();
        var more = SpecTesting.Valid(Random(9)).Expand().Select(t => t.Id).ToList();

        Assert.Equal(9, more.Count);
        Assert.Equal(few, more.Take(4));
        Assert.NotEqual(SweepIdentity.Of(SpecTesting.Valid(Random(4))), SweepIdentity.Of(SpecTesting.Valid(Random(9))));
    }

    [Fact]
    public void Settings_are_canonical_json()
    {
        Assert.Equal("""{"schedule":{"kind":"none"}}""", SweepIdentity.Settings(ScheduleSpec.None));
        Assert.Equal("""{"schedule":{"kind":"asha","metric":"val_elbo","grace":2,"reduction":3,"min_trials":3,"evaluate_pruned":false}}""",
            SweepIdentity.Settings(new ScheduleSpec(ScheduleKind.Asha, Grace: 2)));
    }
}
