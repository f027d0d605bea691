using VaeSweep.Client.Scheduling.Stopping;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Scheduling.Stopping;

/// <summary>
/// The ledger against a simulated sweep: synthetic curves, epochs arriving in random interleavings under the
/// pause-at-each-rung protocol the scheduler follows. Whatever the interleaving, the decisions are the same.
/// </summary>
public sealed class RungLedgerTests
{
    private static readonly ScheduleSpec Asha = new(ScheduleKind.Asha, Grace: 1, Reduction: 3, MinTrials: 2);

    private static EpochMetrics Epoch(int epoch, double validationElbo) =>
        new(epoch, 0, 0, 0, 0, validationElbo, 0, 0, 0, 0);

    /// <summary>Curves of <paramref name="trials"/> trials of <paramref name="epochs"/> epochs: each improves at its own rate.</summary>
    private static double[][] Curves(int trials, int epochs, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, trials).Select(_ =>
        {
            var start = -300 + random.NextDouble() * 100;
            var rate = random.NextDouble() * 40;
            return Enumerable.Range(1, epochs).Select(e => start + rate * Math.Log(e) + random.NextDouble()).ToArray();
        }).ToArray();
    }

    /// <summary>
    /// Runs the sweep to its end, delivering one epoch of a random trial that can train at each step (none when
    /// <paramref name="random"/> is null: trials in order, each to its end). Returns every decision made, in order made.
    /// </summary>
    private static List<RungDecision> Simulate(double[][] curves, ScheduleSpec schedule, Random? random)
    {
        var epochs = curves[0].Length;
        var ids = Enumerable.Range(0, curves.Length).Select(i => $"t{i:D2}").ToList();
        var ledger = new RungLedger(StoppingRules.For(schedule)!, schedule, ids.Select(id => (id, epochs)));
        var done = new int[curves.Length];
        var parked = new Dictionary<int, int>();
        var ended = new bool[curves.Length];
        var decisions = new List<RungDecision>();
        while (ended.Contains(false))
        {
            var ready = Enumerable.Range(0, curves.Length).Where(i => !ended[i] && !parked.ContainsKey(i)).ToList();
            Assert.NotEmpty(ready); // a deadlock would leave only parked trials
            var i = random is null ? ready[0] : ready[random.Next(ready.Count)];
            done[i]++;
            ledger.RecordEpoch(ids[i], done[i], Epoch(done[i], curves[i][done[i] - 1]));
            if (done[i] == epochs)
            {
                ledger.End(ids[i]);
                ended[i] = true;
            }
            else if (ledger.NextRung(ids[i]) == done[i])
            {
                parked[i] = done[i];
            }

            for (var j = 0; j < curves.Length; j++)
            {
                if (!parked.TryGetValue(j, out var rung) || ledger.TryDecide(ids[j], rung) is not { } d) continue;
                decisions.Add(d);
                ledger.Record(d);
                parked.Remove(j);
                if (d.Verdict == RungVerdict.Prune) ended[j] = true;
            }
        }
        return decisions;
    }

    private static IEnumerable<string> Canonical(IEnumerable<RungDecision> decisions) =>
        decisions.Select(d => $"{d.TrialId}@{d.Rung}:{d.Verdict}:{d.Score:R}:{d.Cutoff:R}:{d.Compared}").Order(StringComparer.Ordinal);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_interleaving_of_arrivals_makes_the_same_decisions_as_trials_run_one_after_another(int curvesSeed)
    {
        var curves = Curves(27, 9, curvesSeed);
        foreach (var schedule in new[] { Asha, new ScheduleSpec(ScheduleKind.Median, Grace: 2, MinTrials: 3) })
        {
            var sequential = Canonical(Simulate(curves, schedule, random: null)).ToList();
            Assert.Contains(sequential, d => d.Contains(":Prune:"));
            for (var seed = 0; seed < 20; seed++)
                Assert.Equal(sequential, Canonical(Simulate(curves, schedule, new Random(seed))));
        }
    }

    [Fact]
    public void Asha_stops_about_two_thirds_of_the_trials_at_each_rung()
    {
        var decisions = Simulate(Curves(27, 9, 4), Asha, new Random(0));
        var pruned = decisions.Where(d => d.Verdict == RungVerdict.Prune).GroupBy(d => d.Rung).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(pruned[1], 12, 18);              // of 27 at epoch 1
        Assert.InRange(pruned.GetValueOrDefault(3), 3, 10); // of those that continued to epoch 3
    }

    [Fact]
    public void A_trial_waits_while_an_earlier_one_can_still_reach_the_rung_and_not_once_it_cannot()
    {
        var ledger = new RungLedger(new AshaRule(1, 3), Asha with { MinTrials = 1 }, [("a", 9), ("b", 9), ("c", 9)]);
        ledger.RecordEpoch("a", 1, Epoch(1, -100));
        ledger.RecordEpoch("c", 1, Epoch(1, -200));
        Assert.Null(ledger.TryDecide("c", 1)); // b has not scored at epoch 1 yet

        ledger.End("b"); // b failed before its first epoch: it will never score there
        var d = ledger.TryDecide("c", 1);
        Assert.NotNull(d);
        Assert.Equal((1, RungVerdict.Prune, -100.0), (d.Compared, d.Verdict, d.Cutoff));
    }

    [Fact]
    public void Before_min_trials_have_scored_a_trial_continues_whatever_its_score()
    {
        var ledger = new RungLedger(new AshaRule(1, 3), Asha with { MinTrials = 3 }, [("a", 9), ("b", 9), ("c", 9)]);
        ledger.RecordEpoch("a", 1, Epoch(1, -1));
        ledger.RecordEpoch("b", 1, Epoch(1, -1));
        ledger.RecordEpoch("c", 1, Epoch(1, -1000));
        var d = ledger.TryDecide("c", 1)!;
        Assert.Equal((RungVerdict.Continue, (double?)null, 2), (d.Verdict, d.Cutoff, d.Compared));
    }

    [Fact]
    public void A_pruned_trial_counts_at_its_rung_and_not_at_later_ones()
    {
        var ledger = new RungLedger(new AshaRule(1, 3), Asha with { MinTrials = 1 }, [("a", 9), ("b", 9)]);
        for (var e = 1; e <= 3; e++) ledger.RecordEpoch("a", e, Epoch(e, -10 * e));
        ledger.Record(new RungDecision("a", 1, "asha", "val_elbo", -10, null, 0, RungVerdict.Prune));
        Assert.Null(ledger.WaitingAt("a"));
        ledger.RecordEpoch("b", 1, Epoch(1, -50));
        ledger.RecordEpoch("b", 2, Epoch(2, -40));
        ledger.RecordEpoch("b", 3, Epoch(3, -30));
        Assert.Equal(1, ledger.TryDecide("b", 1)!.Compared);
        // a's epochs past its rung (trained before a crash let the decision be made) no longer count.
        Assert.Equal(0, ledger.TryDecide("b", 3)!.Compared);
    }
}
