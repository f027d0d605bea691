using VaeSweep.Model.Kernels;

namespace VaeSweep.Model.Tests.Kernels;

public class GemmTests
{
    /// <summary>Odd sizes around every tile edge (mr 8/6/4, nr 32/16/4), a K past one K block, M past one row block
    /// and N past one packed-B block.</summary>
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 3, 7, 17 }, { 17, 33, 3 }, { 33, 65, 129 }, { 129, 17, 65 }, { 65, 129, 33 },
        { 7, 1, 129 }, { 1, 65, 33 }, { 129, 129, 7 }, { 33, 3, 1 }, { 9, 40, 700 }, { 300, 20, 17 }, { 3, 1700, 330 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryPathMatchesTheReferenceForAllTransposesAndThreadCounts(int m, int n, int k)
    {
        var rng = new Random(m * 10007 + n * 101 + k);
        foreach (var transA in new[] { false, true })
        foreach (var transB in new[] { false, true })
        foreach (var accumulate in new[] { false, true })
        {
            var a = RandomMatrix(rng, m * k);
            var b = RandomMatrix(rng, k * n);
            var c0 = RandomMatrix(rng, m * n);
            var expected = (float[])c0.Clone();
            GemmReference.Multiply(transA, transB, m, n, k, a, b, expected, accumulate);
            var bound = ErrorBound(transA, transB, m, n, k, a, b, accumulate ? c0 : null);

            foreach (var path in new[] { GemmPath.Vector512, GemmPath.Vector256, GemmPath.Scalar })
            foreach (var threads in new[] { 1, 2 })
            {
                var actual = (float[])c0.Clone();
                Gemm.Multiply(transA, transB, m, n, k, a, b, actual, accumulate, threads, path);
                for (var i = 0; i < actual.Length; i++)
                    if (!(Math.Abs(actual[i] - expected[i]) <= bound[i]))
                        Assert.Fail($"{path} threads={threads} transA={transA} transB={transB} accumulate={accumulate} {m}×{n}×{k}: " +
                                    $"C[{i / n},{i % n}] = {actual[i]}, reference {expected[i]}, allowed error {bound[i]:g3}");
            }
        }
    }

    /// <summary>Products big enough to be split (over columns, and over rows when N is narrow) must not change a bit.</summary>
    [Theory]
    [InlineData(false, true, 128, 400, 784)]
    [InlineData(false, false, 128, 784, 400)]
    [InlineData(true, false, 400, 784, 128)]
    [InlineData(true, true, 129, 129, 257)]
    [InlineData(false, true, 1000, 20, 400)]
    [InlineData(false, false, 257, 33, 520)]
    public void ResultIsBitIdenticalForAnyThreadCountAndRepeatedCalls(bool transA, bool transB, int m, int n, int k)
    {
        Assert.True((long)m * n * k >= Gemm.ParallelThreshold, "shape too small to exercise the threaded path");
        var rng = new Random(42);
        var a = RandomMatrix(rng, m * k);
        var b = RandomMatrix(rng, k * n);
        var c0 = RandomMatrix(rng, m * n);
        foreach (var path in new[] { GemmPath.Auto, GemmPath.Vector256 })
        foreach (var accumulate in new[] { false, true })
        {
            var single = (float[])c0.Clone();
            Gemm.Multiply(transA, transB, m, n, k, a, b, single, accumulate, 1, path);
            foreach (var threads in new[] { 2, 3, 1, 2 })
            {
                var again = (float[])c0.Clone();
                Gemm.Multiply(transA, transB, m, n, k, a, b, again, accumulate, threads, path);
                Assert.Equal(single, again);
            }
        }
    }

    [Fact]
    public void PublicOverloadMatchesTheReference()
    {
        var rng = new Random(7);
        var a = RandomMatrix(rng, 20 * 30);
        var b = RandomMatrix(rng, 30 * 40);
        var expected = new float[20 * 40];
        var actual = new float[20 * 40];
        GemmReference.Multiply(false, false, 20, 40, 30, a, b, expected, false);
        Gemm.Multiply(false, false, 20, 40, 30, a, b, actual, false);
        var bound = ErrorBound(false, false, 20, 40, 30, a, b, null);
        for (var i = 0; i < actual.Length; i++)
            if (!(Math.Abs(actual[i] - expected[i]) <= bound[i])) Assert.Fail($"C[{i}] = {actual[i]}, reference {expected[i]}");
    }

    [Fact]
    public void ZeroInnerDimensionClearsOrKeepsC()
    {
        var c = new[] { 1f, 2f, 3f, 4f, 5f, 6f };
        Gemm.Multiply(false, false, 2, 3, 0, [], [], c, accumulate: true);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], c);
        Gemm.Multiply(false, false, 2, 2, 0, [], [], c, accumulate: false);
        Assert.Equal([0f, 0f, 0f, 0f, 5f, 6f], c);
    }

    [Fact]
    public void ElementsPastMTimesNAreNotTouched()
    {
        var rng = new Random(3);
        var a = RandomMatrix(rng, 9 * 11);
        var b = RandomMatrix(rng, 11 * 13);
        var c = Enumerable.Repeat(float.NaN, 9 * 13 + 50).ToArray();
        Gemm.Multiply(false, false, 9, 13, 11, a, b, c, accumulate: false);
        Assert.All(c[..(9 * 13)], v => Assert.False(float.IsNaN(v)));
        Assert.All(c[(9 * 13)..], v => Assert.True(float.IsNaN(v)));
    }

    [Theory]
    [InlineData(5, 6, 4, "a")]
    [InlineData(6, 5, 4, "b")]
    [InlineData(6, 6, 3, "c")]
    public void ShortOperandsAreRejectedByName(int aLength, int bLength, int cLength, string name)
    {
        // m = 2, n = 2, k = 3: a needs 6, b needs 6, c needs 4.
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 2, 2, 3, new float[aLength], new float[bLength], new float[cLength], false));
        Assert.Contains($"{name} holds", ex.Message);
    }

    [Fact]
    public void NegativeDimensionsAndThreadsAreRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 2, [], [], [], false));
        Assert.Contains("m=-1", ex.Message);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 1, 1, 1, [1f], [1f], new float[1], false, threads: 0));
        Assert.Contains("threads", ex.Message);
    }

    private static float[] RandomMatrix(Random rng, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>
    /// Per element, 2(k+1)·u·(|c₀| + Σ_p |a_ip b_pj|) with u = 2⁻²⁴: the worst-case bound of one float dot product
    /// in any summation order, doubled because both sides round. Dropping or repeating a single term of a random
    /// product exceeds it by orders of magnitude.
    /// </summary>
    private static double[] ErrorBound(bool transA, bool transB, int m, int n, int k, float[] a, float[] b, float[]? c0)
    {
        var bound = new double[m * n];
        var u = Math.Pow(2, -24);
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            var magnitude = c0 is null ? 0.0 : Math.Abs(c0[i * n + j]);
            for (var p = 0; p < k; p++)
                magnitude += Math.Abs((double)(transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]));
            bound[i * n + j] = 2 * (k + 1) * u * magnitude + 1e-30;
        }
        return bound;
    }
}
