using VaeSweep.Client.Spec;
using static VaeSweep.Client.Tests.Spec.SpecTesting;

namespace VaeSweep.Client.Tests.Spec;

public class ObjectiveSpecTests
{
    [Fact]
    public void Without_the_key_the_objective_is_the_heldout_log_likelihood()
    {
        var spec = Valid(Header + "sweep: { parameters: { latent: [2, 3] } }\n");
        Assert.Equal("heldout_ll max", spec.Objective.ToString());
    }

    [Fact]
    public void A_clause_or_a_list_of_clauses_is_read_under_every_strategy()
    {
        Assert.Equal("rate min", Valid(Header + "sweep: { parameters: { latent: [2] }, objective: rate }\n").Objective.ToString());
        Assert.Equal("heldout_ll max, active_units >= 5", Valid(Header + """
            sweep:
              strategy: list
              configs: [{ latent: 8 }]
              objective: [heldout_ll, active_units >= 5]

            """).Objective.ToString());
    }

    [Fact]
    public void Bad_clauses_are_spec_errors_at_their_own_node()
    {
        var error = Single(Header + "sweep: { parameters: { latent: [2] }, objective: [heldout_ll, speed >= 3] }\n");
        AssertAt(error, 5, 63, "sweep.objective[1]: unknown metric 'speed'; expected one of heldout_ll, heldout_elbo, ll_elbo_gap, rate, distortion, active_units, elbo, kl, recon, seconds");
        AssertAt(Single(Header + "sweep: { parameters: { latent: [2] }, objective: [] }\n"), 5, 50,
            "sweep.objective: an empty list; give a metric such as heldout_ll, or leave the key out");
    }

    [Fact]
    public void The_activity_threshold_is_an_eval_key_left_out_of_trial_ids_at_its_default()
    {
        var plain = Valid(Header + "sweep: { parameters: { latent: [2] } }\n").Expand().Single();
        var explicitDefault = Valid(Header.Replace("train: { epochs: 1 }", "train: { epochs: 1 }\neval: { active_threshold: 0.01 }") +
            "sweep: { parameters: { latent: [2] } }\n").Expand().Single();
        var other = Valid(Header + "sweep: { parameters: { latent: [2], active_threshold: [0.05] } }\n").Expand().Single();
        Assert.Equal(plain.Id, explicitDefault.Id);
        Assert.DoesNotContain("active_threshold", plain.CanonicalJson);
        Assert.NotEqual(plain.Id, other.Id);
        Assert.Contains("\"active_threshold\":0.05", other.CanonicalJson);
        Assert.Equal(0.05, other.Config.ActiveThreshold);
        AssertAt(Single(Header.Replace("train: { epochs: 1 }", "train: { epochs: 1 }\neval: { active_threshold: -1 }") + "sweep: { parameters: { latent: [2] } }\n"),
            5, 27, "eval.active_threshold: must be a finite number, 0 or more, got -1");
    }

    [Fact]
    public void A_stored_spec_gives_its_objective_back_and_an_older_one_the_default()
    {
        Assert.Equal("distortion min, active_units > 3",
            ObjectiveReader.FromSpecText(Header + "sweep: { parameters: { latent: [2] }, objective: [distortion, active_units > 3] }\n").ToString());
        Assert.Equal("heldout_ll max", ObjectiveReader.FromSpecText(Header + "sweep: { parameters: { latent: [2] } }\n").ToString());
    }
}
