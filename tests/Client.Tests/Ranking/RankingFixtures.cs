using VaeSweep.Client.Store;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Ranking;

internal static class RankingFixtures
{
    public static LogLikelihoodEstimate Estimate(double[] perExample, string split = "validation")
    {
        var n = perExample.Length;
        var mean = perExample.Average();
        var sd = Math.Sqrt(perExample.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        return new LogLikelihoodEstimate(split, 1000, n, mean, sd / Math.Sqrt(n), mean - 2, perExample);
    }

    public static TrialResult Result(
        string id, int ordinal, LogLikelihoodEstimate? validation, LogLikelihoodEstimate? test = null,
        TrialStatus status = TrialStatus.Finished, EpochMetrics? lastEpoch = null) => new(
        "sweep-a",
        new TrialRecord(id, 1, ordinal, status, 1, "h", 20, 0.1, 1.0 + ordinal, 1e-3, "400", "relu", "gaussian", 10, 128, 1,
            "{}", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, 60.0 + ordinal, null, null),
        validation,
        test,
        lastEpoch);

    /// <summary>Per-example log-likelihoods of ten examples of very different difficulty.</summary>
    public static double[] Hardness { get; } = [-80, -120, -95, -150, -60, -110, -100, -130, -70, -90];

    /// <summary>
    /// Every example a little worse than <see cref="Hardness"/>: by 1.0 on even and 1.2 on odd examples, so
    /// the paired gap is 1.1 with SE exactly 1/30, while the spread of difficulty makes each trial's own SE ≈ 9.
    /// </summary>
    public static double[] SlightlyWorse { get; } = Hardness.Select((x, i) => x - (i % 2 == 0 ? 1.0 : 1.2)).ToArray();

    /// <summary>
    /// Two trials 1 nat apart on average that disagree about which examples are hard: best_i = −100 + a_i,
    /// other_i = −101 − a_i with a_i = ±3 alternating over 100 examples. Paired SE 6/√99 ≈ 0.603; each
    /// trial's own SE 3/√99 ≈ 0.302, unpaired SE ≈ 0.426.
    /// </summary>
    public static (double[] Best, double[] Other) Disagreeing()
    {
        var a = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 3.0 : -3.0).ToArray();
        return (a.Select(x => -100 + x).ToArray(), a.Select(x => -101 - x).ToArray());
    }
}
