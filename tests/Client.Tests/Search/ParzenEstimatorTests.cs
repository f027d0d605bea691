using VaeSweep.Client.Search;
using VaeSweep.Client.Spec.Expansion;

namespace VaeSweep.Client.Tests.Search;

public sealed class ParzenEstimatorTests
{
    // uniform [-2, 3], log_uniform [0.001, 0.1], int_uniform [2, 9], choice of 3.
    private static readonly SearchDimension[] Space =
    [
        new NumericDimension(-2, 3), new NumericDimension(0.001, 0.1, log: true), new NumericDimension(2, 9, integer: true), new CategoricalDimension(3),
    ];

    private static readonly double[][] Points = [[0.4, 0.012, 3, 0], [-2.0, 0.001, 2, 1], [3.0, 0.1, 9, 2], [1.7, 0.04, 6, 0]];

    private static double[][] Columns(double[] a, double[] b, double[] c, double[] d) =>
        a.Select((_, i) => new[] { a[i], b[i], c[i], d[i] }).ToArray();

    // The oracle: Optuna's _ParzenEstimator(multivariate=True) with TPESampler's defaults on the same observations and
    // points, computed by bench/optuna_parzen_oracle.py with python3-optuna 3.1.0 plus upstream's fix of its truncated
    // normal density (PR 5110, Optuna 3.5: 3.1 leaves out the −log σ term, so its kernels do not integrate to 1).
    [Fact]
    public void Log_densities_match_optunas_estimator_on_a_mixed_space()
    {
        var five = Columns([0.5, -1.0, 2.5, 0.0, 1.2], [0.01, 0.05, 0.002, 0.09, 0.03], [3, 9, 2, 5, 5], [0, 2, 2, 1, 0]);
        AssertLogPdfs(five, [-4.3870759, -8.3292758, -8.32739791, -4.99462106]);
    }

    [Fact]
    public void With_no_observations_the_density_is_the_prior_kernel_alone_as_in_optuna()
    {
        AssertLogPdfs([], [-6.24213713, -6.53796742, -6.53796742, -6.26844895]);
    }

    [Fact]
    public void Past_25_observations_old_ones_weigh_less_as_in_optuna()
    {
        double[] a = [0.08511002351287011, 1.6016224672107904, -1.9994281259132756, -0.48833713684080116, -1.2662205459144347, -1.538307026156011, -1.0686989431116456, -0.27219636478476117, -0.016162628846650318, 0.6940836700167847, 0.09597257201647391, 1.4260975019837976, -0.9777387513424127, 2.390587181954727, -1.8630620340103692, 1.352337550892011, 0.08652401183563496, 0.7934491422287584, -1.298065307023831, -1.0094925545756062, 2.003722843377683, 2.8413078785969876, -0.4328791092037858, 1.4616130783465704, 2.3819457614801918, 2.4730333175192367, -1.5747789431511103, -1.8047260838355883, -1.1508479021771554, 2.3907125171470653];
        double[] b = [0.0015728730372487206, 0.006953688788898675, 0.0823718955833529, 0.011650124592172255, 0.024196593469527333, 0.004275936647080323, 0.023604883174757015, 0.0466929533152365, 0.0010878688833867167, 0.03164379992238841, 0.09499968774647323, 0.03135676915341995, 0.0036382118505407977, 0.03789297094902249, 0.0016086146261367422, 0.007866599720665546, 0.06564339077069614, 0.0038657013301325246, 0.003763142612534592, 0.0018199403096325747, 0.0010932863245635559, 0.02278615597544787, 0.0026500632041074695, 0.0033969825719103535, 0.009619363106590055, 0.001278571708054608, 0.014068092363067254, 0.0019654280496864606, 0.015087284288932048, 0.025090927759694907];
        double[] c = [2, 9, 9, 3, 3, 7, 5, 2, 2, 7, 7, 8, 6, 7, 8, 4, 6, 5, 7, 5, 9, 7, 2, 5, 6, 5, 6, 8, 6, 9];
        double[] d = [1, 0, 1, 0, 0, 2, 0, 1, 2, 0, 1, 1, 0, 2, 0, 0, 0, 0, 1, 2, 0, 1, 0, 2, 1, 2, 0, 0, 2, 2];
        AssertLogPdfs(Columns(a, b, c, d), [-5.82265605, -9.71246109, -7.31518642, -6.58041898]);
    }

    private static void AssertLogPdfs(double[][] observations, double[] expected)
    {
        var estimator = new ParzenEstimator(Space, observations, TpeSettings.Default);
        for (var i = 0; i < Points.Length; i++)
            Assert.Equal(expected[i], estimator.LogPdf(Points[i]), 6);
    }

    [Fact]
    public void The_mixture_is_a_probability_distribution_over_integer_and_categorical_axes()
    {
        SearchDimension[] space = [new NumericDimension(-3, 4, integer: true), new CategoricalDimension(4)];
        var estimator = new ParzenEstimator(space, [[-3, 0], [4, 3], [1, 1], [1, 1]], TpeSettings.Default);

        var total = 0.0;
        for (var x = -3; x <= 4; x++)
            for (var c = 0; c < 4; c++)
                total += Math.Exp(estimator.LogPdf([x, c]));

        Assert.Equal(1.0, total, 10);
    }

    [Fact]
    public void The_density_of_a_continuous_axis_integrates_to_one()
    {
        SearchDimension[] space = [new NumericDimension(0.01, 10, log: true)];
        var estimator = new ParzenEstimator(space, [[0.02], [5], [9.9]], TpeSettings.Default);

        // Midpoint rule in log space, where the kernels live.
        const int steps = 200_000;
        double low = Math.Log(0.01), high = Math.Log(10), h = (high - low) / steps, total = 0;
        for (var i = 0; i < steps; i++) total += Math.Exp(estimator.LogPdf([Math.Exp(low + (i + 0.5) * h)])) * h;

        Assert.Equal(1.0, total, 6);
    }

    [Fact]
    public void Samples_follow_the_density_and_stay_within_bounds()
    {
        SearchDimension[] space = [new NumericDimension(2, 9, integer: true), new CategoricalDimension(3)];
        var estimator = new ParzenEstimator(space, [[2, 0], [2, 0], [9, 2], [5, 1]], TpeSettings.Default);
        const int n = 200_000;
        var samples = estimator.Sample(new SplitMix64(42), n);

        var counts = samples.GroupBy(s => (s[0], s[1])).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(samples, s => Assert.True(s[0] is >= 2 and <= 9 && s[0] == Math.Round(s[0]) && s[1] is 0 or 1 or 2));
        for (var x = 2; x <= 9; x++)
        {
            for (var c = 0; c < 3; c++)
            {
                var p = Math.Exp(estimator.LogPdf([x, c]));
                var observed = counts.GetValueOrDefault((x, c)) / (double)n;
                // Five standard errors of a binomial proportion: a wrong kernel is off by far more.
                Assert.True(Math.Abs(observed - p) < 5 * Math.Sqrt(p * (1 - p) / n) + 1e-4, $"({x}, {c}): sampled {observed}, density {p}");
            }
        }
    }
}
