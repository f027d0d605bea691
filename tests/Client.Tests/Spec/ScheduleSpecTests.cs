using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Tests.Spec;

/// <summary>The schedule section: defaults, kinds, and every bad value reported where it is.</summary>
public sealed class ScheduleSpecTests
{
    // Header (4 lines, epochs: 1) is too short for any schedule; these specs train 9 epochs, schedule on line 6.
    private const string Head = """
        name: t
        dataset: { path: /data/fm }
        model: { hidden: [8], latent: 2 }
        train: { epochs: 9 }
        sweep: { parameters: { lr: [0.001, 0.01] } }

        """;

    [Fact]
    public void No_schedule_section_means_no_early_stopping()
    {
        Assert.Equal(ScheduleSpec.None, SpecTesting.Valid(Head).Schedule);
    }

    [Fact]
    public void Asha_takes_its_documented_defaults()
    {
        var s = SpecTesting.Valid(Head + "schedule: { kind: asha }\n").Schedule;
        Assert.Equal(new ScheduleSpec(ScheduleKind.Asha, "val_elbo", Grace: 1, Reduction: 3, MinTrials: 3, EvaluatePruned: false), s);
    }

    [Fact]
    public void Every_key_is_read()
    {
        var s = SpecTesting.Valid(Head + """
            schedule:
              kind: asha
              metric: train_elbo
              grace: 2
              reduction: 2
              min_trials: 5
              evaluate_pruned: true
            """).Schedule;
        Assert.Equal(new ScheduleSpec(ScheduleKind.Asha, "train_elbo", 2, 2, 5, true), s);
        Assert.Equal(ScheduleKind.Median, SpecTesting.Valid(Head + "schedule: { kind: median, grace: 3 }\n").Schedule.Kind);
    }

    [Fact]
    public void A_schedule_does_not_change_the_trials_or_their_ids()
    {
        var plain = SpecTesting.Valid(Head).Expand().Select(t => t.Id);
        var scheduled = SpecTesting.Valid(Head + "schedule: { kind: asha }\n").Expand().Select(t => t.Id);
        Assert.Equal(plain, scheduled);
    }

    [Fact]
    public void An_unknown_kind_is_an_error_at_its_value_with_a_suggestion()
    {
        var e = SpecTesting.Single(Head + "schedule: { kind: ahsa }\n");
        SpecTesting.AssertAt(e, 6, 19, "schedule.kind: must be one of none, asha, median, got 'ahsa' (did you mean 'asha'?)");
    }

    [Fact]
    public void An_unknown_metric_is_an_error_at_its_value()
    {
        var e = SpecTesting.Single(Head + "schedule: { kind: asha, metric: heldout_ll }\n");
        Assert.Equal((6, 33), (e.Line, e.Column));
        Assert.StartsWith("schedule.metric: must be one of val_elbo, train_elbo, got", e.Message);
    }

    [Fact]
    public void A_reduction_below_two_is_an_error_at_its_value()
    {
        var e = SpecTesting.Single(Head + "schedule: { kind: asha, reduction: 1 }\n");
        SpecTesting.AssertAt(e, 6, 36, "schedule.reduction: must be 2 or more (the top 1/reduction continue at each rung), got 1");
    }

    [Fact]
    public void A_grace_of_all_the_epochs_is_an_error_at_grace()
    {
        var e = SpecTesting.Single(Head + "schedule: { kind: asha, grace: 9 }\n");
        SpecTesting.AssertAt(e, 6, 32,
            "schedule.grace: must be less than train.epochs (9): a trial is only stopped after its grace epochs and before its last");
    }

    [Fact]
    public void Under_tpe_grace_is_checked_against_the_fewest_epochs_the_space_allows_not_only_the_startup_trials()
    {
        // The 2 startup trials (seed 0) both draw more than 2 epochs; a later proposal may take 2.
        string Spec(string epochs) => $$"""
            name: t
            dataset: { path: /data/fm }
            model: { hidden: [8], latent: 2 }
            sweep: { strategy: tpe, trials: 3, startup_trials: 2, parameters: { epochs: {{epochs}} } }
            schedule: { kind: asha, grace: 2 }
            """;
        var startup = SpecTesting.Valid("""
            name: t
            dataset: { path: /data/fm }
            model: { hidden: [8], latent: 2 }
            sweep: { strategy: random, trials: 2, parameters: { epochs: { int_uniform: [2, 12] } } }
            """).Expand();
        Assert.All(startup, t => Assert.True(t.Config.Epochs > 2, $"a startup trial of {t.Config.Epochs} epochs"));

        var e = SpecTesting.Single(Spec("{ int_uniform: [2, 12] }"));
        Assert.Contains("schedule.grace: must be less than train.epochs (2)", e.ToString());
        Assert.Contains("schedule.grace: must be less than train.epochs (2)", SpecTesting.Single(Spec("[12, 2, 9]")).ToString());
        Assert.Equal(ScheduleKind.Asha, SpecTesting.Valid(Spec("[12, 3, 9]")).Schedule.Kind);
        Assert.Equal(ScheduleKind.Asha, SpecTesting.Valid(Spec("{ int_uniform: [3, 12] }")).Schedule.Kind);
    }

    [Fact]
    public void Grace_is_checked_against_the_fewest_epochs_of_any_trial()
    {
        var e = SpecTesting.Single("""
            name: t
            dataset: { path: /data/fm }
            model: { hidden: [8], latent: 2 }
            sweep: { parameters: { epochs: [2, 9] } }
            schedule: { kind: median, grace: 2 }
            """);
        SpecTesting.AssertAt(e, 5, 34,
            "schedule.grace: must be less than train.epochs (2): a trial is only stopped after its grace epochs and before its last");
    }

    [Fact]
    public void The_default_grace_against_one_epoch_is_reported_at_the_kind()
    {
        var e = SpecTesting.Single(SpecTesting.Header + "sweep: { parameters: { lr: [0.001] } }\nschedule: { kind: asha }\n");
        Assert.Equal((6, 19), (e.Line, e.Column));
        Assert.Contains("grace is 1 by default", e.Message);
    }

    [Fact]
    public void Reduction_under_median_and_keys_under_none_are_errors_not_ignored()
    {
        var median = SpecTesting.Single(Head + "schedule: { kind: median, reduction: 3 }\n");
        SpecTesting.AssertAt(median, 6, 27, "schedule.reduction: not used by kind median (only by asha)");
        var none = SpecTesting.Single(Head + "schedule: { kind: none, grace: 2 }\n");
        SpecTesting.AssertAt(none, 6, 25, "schedule.grace: not used by kind none");
    }

    [Fact]
    public void Bad_values_are_all_reported_at_once()
    {
        var errors = SpecTesting.Errors(Head + "schedule: { kind: asha, grace: 0, min_trials: 0, evaluate_pruned: yes, colour: red }\n");
        var messages = errors.Select(e => e.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("schedule.colour: unknown key"));
        Assert.Contains(messages, m => m.StartsWith("schedule.evaluate_pruned: must be true or false"));
        Assert.Contains("schedule.grace: must be 1 or more epochs, got 0", messages);
        Assert.Contains("schedule.min_trials: must be 1 or more, got 0", messages);
        Assert.All(errors, e => Assert.Equal(6, e.Line));
    }

    [Fact]
    public void A_schedule_without_kind_is_an_error_at_the_key()
    {
        var e = SpecTesting.Single(Head + "schedule: { grace: 1 }\n");
        SpecTesting.AssertAt(e, 6, 1, "schedule: needs 'kind: none | asha | median'");
    }
}
