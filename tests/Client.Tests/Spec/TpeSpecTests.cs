using VaeSweep.Client.Search;
using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Tests.Spec;

public sealed class TpeSpecTests
{
    private const string Parameters = """
          parameters:
            latent: { int_uniform: [2, 32] }
            sigma: { log_uniform: [0.05, 0.5] }
            beta: { uniform: [0.5, 4.0] }
            hidden: [[400], [512, 256]]
            activation: { choice: [relu, softplus] }
        """;

    private static string Tpe(string extra = "trials: 30\n  seed: 7") => SpecTesting.Header + $"sweep:\n  strategy: tpe\n  {extra}\n" + Parameters;

    private static string Random(int trials, int seed) => SpecTesting.Header + $"sweep:\n  strategy: random\n  trials: {trials}\n  seed: {seed}\n" + Parameters;

    [Fact]
    public void The_startup_trials_are_random_searchs_draws_with_the_same_seed()
    {
        var tpe = SpecTesting.Valid(Tpe());

        Assert.Equal(SweepStrategy.Tpe, tpe.Strategy);
        Assert.Equal(7, tpe.Seed);
        Assert.Equal(SpecTestingNames, tpe.SweptParameters);
        Assert.Equal(SpecTesting.Valid(Random(10, 7)).Expand().Select(t => t.Id), tpe.Expand().Select(t => t.Id));
        Assert.NotNull(tpe.Proposer);
        Assert.Equal((30, 10, 4), (tpe.Proposer.Trials, tpe.Proposer.StartupTrials, tpe.Proposer.Lag));
        Assert.Null(SpecTesting.Valid(Random(10, 7)).Proposer);
    }

    private static readonly string[] SpecTestingNames = ["latent", "sigma", "beta", "hidden", "activation"];

    [Fact]
    public void Startup_trials_and_lag_are_read()
    {
        var spec = SpecTesting.Valid(Tpe("trials: 12\n  startup_trials: 3\n  lag: 2"));

        Assert.Equal((12, 3, 2), (spec.Proposer!.Trials, spec.Proposer.StartupTrials, spec.Proposer.Lag));
        Assert.Equal(SpecTesting.Valid(Random(3, 0)).Expand().Select(t => t.Id), spec.Expand().Select(t => t.Id));
        Assert.Equal(spec.Expand()[1].Id, spec.Proposer.Propose([], [], 1).Trial.Id);
        Assert.Equal(ProposalKind.Startup, spec.Proposer.Propose([], [], 1).Kind);
    }

    /// <summary>A sweep run through the proposer with the lag rule, on a made-up objective of the config.</summary>
    private static List<ResolvedTrial> Drive(SweepSpec spec, bool shuffle)
    {
        var proposer = spec.Proposer!;
        var trials = new List<ResolvedTrial>();
        for (var n = 0; n < proposer.Trials; n++)
        {
            var learnt = LagRule.LearnsFrom(n, proposer.Lag);
            var completed = trials.Take(learnt).Select((t, i) => new Observation(i, t.Config, -Math.Abs(t.Config.Latent - 20) - 10 * Math.Abs(Math.Log(t.Config.Sigma / 0.1)))).ToList();
            var pending = trials.Skip(learnt).Select((t, i) => new PendingTrial(learnt + i, t.Config)).ToList();
            if (shuffle)
            {
                completed.Reverse();
                pending.Reverse();
            }
            trials.Add(proposer.Propose(completed, pending, n).Trial);
        }
        return trials;
    }

    [Fact]
    public void Proposals_depend_only_on_the_spec_and_their_inputs()
    {
        var first = Drive(SpecTesting.Valid(Tpe()), shuffle: false);
        var again = Drive(SpecTesting.Valid(Tpe()), shuffle: true);

        Assert.Equal(30, first.Count);
        Assert.Equal(first.Select(t => t.Id), again.Select(t => t.Id));
        Assert.Equal(30, first.Select(t => t.Id).Distinct().Count());
        var other = Drive(SpecTesting.Valid(Tpe("trials: 30\n  seed: 8")), shuffle: false);
        Assert.Empty(first.Skip(10).Select(t => t.Id).Intersect(other.Skip(10).Select(t => t.Id)));
    }

    [Fact]
    public void Proposals_stay_within_the_spec_and_learn_where_the_objective_is_good()
    {
        // The objective wants latent 20 and sigma 0.1; three more parameters do not matter.
        static double Distance(ResolvedTrial t) => Math.Abs(t.Config.Latent - 20) / 30.0 + Math.Abs(Math.Log(t.Config.Sigma / 0.1)) / Math.Log(10);
        var tpeLate = new List<double>();
        var randomLate = new List<double>();
        for (var seed = 0; seed < 6; seed++)
        {
            var trials = Drive(SpecTesting.Valid(Tpe($"trials: 40\n  seed: {seed}")), shuffle: false);
            Assert.All(trials, t =>
            {
                Assert.InRange(t.Config.Latent, 2, 32);
                Assert.InRange(t.Config.Sigma, 0.05, 0.5);
                Assert.InRange(t.Config.Beta, 0.5, 4.0);
                Assert.Contains(string.Join(",", t.Config.Hidden), new[] { "400", "512,256" });
            });
            tpeLate.AddRange(trials.Skip(30).Select(Distance));
            randomLate.AddRange(SpecTesting.Valid(Random(40, seed)).Expand().Skip(30).Select(Distance));
        }
        Assert.True(tpeLate.Average() < 0.6 * randomLate.Average(), $"trials 31-40: tpe {tpeLate.Average():G3} from the optimum, random {randomLate.Average():G3}");
    }

    [Fact]
    public void A_small_discrete_space_is_covered_without_repeats()
    {
        var spec = SpecTesting.Valid(SpecTesting.Header + """
            sweep:
              strategy: tpe
              trials: 6
              startup_trials: 2
              lag: 1
              parameters:
                latent: { int_uniform: [2, 4] }
                activation: [relu, softplus]
            """);
        var trials = Drive(spec, shuffle: false);

        Assert.Equal(6, trials.Select(t => (t.Config.Latent, t.Config.Activation)).Distinct().Count());
    }

    [Fact]
    public void Out_of_range_inputs_and_indices_are_refused()
    {
        var spec = SpecTesting.Valid(Tpe());
        var outside = spec.Expand()[0].Config with { Latent = 64 };

        var e = Assert.Throws<ArgumentException>(() => spec.Proposer!.Propose([new Observation(0, outside, 1)], [], 12));
        Assert.Contains("latent = 64", e.Message);
        Assert.Throws<ArgumentException>(() => spec.Proposer!.Propose([], [], 30));
        Assert.Throws<ArgumentException>(() => spec.Proposer!.Propose([], [], -1));
    }

    [Fact]
    public void Tpe_without_trials_is_an_error_at_the_sweep_key()
    {
        var error = SpecTesting.Single(SpecTesting.Header + "sweep:\n  strategy: tpe\n" + Parameters);
        SpecTesting.AssertAt(error, 5, 1, "sweep: strategy tpe needs 'trials: N', the number of trials to run (the first startup_trials drawn at random, the rest proposed by the model)");
    }

    [Fact]
    public void Startup_trials_not_below_trials_is_an_error_at_startup_trials()
    {
        var error = SpecTesting.Single(Tpe("trials: 12\n  startup_trials: 12"));
        SpecTesting.AssertAt(error, 8, 19, "sweep.startup_trials: must be at least 0 and less than trials (12), got 12; otherwise the model never proposes a trial");
    }

    [Fact]
    public void Trials_within_the_default_startup_is_an_error_at_trials()
    {
        var error = SpecTesting.Single(Tpe("trials: 10"));
        SpecTesting.AssertAt(error, 7, 11, "sweep.trials: 10 trials are all startup trials (startup_trials defaults to 10), so the model would never propose one; give more trials or a smaller startup_trials");
    }

    [Fact]
    public void A_weighted_choice_is_a_form_tpe_cannot_model()
    {
        var error = SpecTesting.Single(SpecTesting.Header + """
            sweep:
              strategy: tpe
              trials: 20
              parameters:
                activation: [relu, softplus, relu]
            """);
        SpecTesting.AssertAt(error, 9, 34, "sweep.parameters.activation[2]: duplicate value relu (already at sweep.parameters.activation[0]); tpe cannot model a weighted choice, list each value once");
        // Random search reads the same list as relu twice as likely.
        Assert.True(SpecTesting.Parse(SpecTesting.Header + "sweep: { strategy: random, trials: 2, parameters: { activation: [relu, softplus, relu] } }\n").Success);
    }

    [Fact]
    public void A_bound_the_engine_refuses_is_reported_before_anything_runs_even_if_no_startup_draw_hits_it()
    {
        // Random draws from [0, 1] never give exactly 0; the model may propose any value of the range, so the bound is checked.
        var error = SpecTesting.Single(SpecTesting.Header + """
            sweep:
              strategy: tpe
              trials: 20
              parameters:
                sigma: { uniform: [0.0, 1.0] }
            """);
        SpecTesting.AssertAt(error, 9, 23, "sweep.parameters.sigma.uniform: must be a positive number, got 0");
    }

    [Fact]
    public void Lag_must_be_positive_and_tpe_keys_belong_to_tpe()
    {
        SpecTesting.AssertAt(SpecTesting.Single(Tpe("trials: 20\n  lag: 0")), 8, 8, "sweep.lag: must be at least 1 (trial n learns from trials up to n - lag), got 0");
        var errors = SpecTesting.Errors(Random(20, 0).Replace("  seed: 0\n", "  seed: 0\n  startup_trials: 5\n  lag: 2\n"));
        Assert.Equal(["sweep.startup_trials: not used by strategy random (only by tpe)", "sweep.lag: not used by strategy random (only by tpe)"],
            errors.Select(e => e.Message));
    }
}
