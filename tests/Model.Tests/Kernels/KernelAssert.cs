namespace VaeSweep.Model.Tests.Kernels;

/// <summary>Comparison helpers for kernel tests: odd lengths that hit every SIMD width and tail, seeded data.</summary>
internal static class KernelAssert
{
    /// <summary>Lengths that exercise the 16-lane loop, the 8-lane step and the scalar tail in every combination.</summary>
    public static readonly int[] OddLengths = [1, 3, 7, 8, 17, 33, 65, 129, 1003];

    public static float[] Uniform(Random rng, int length, double low, double high)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++) values[i] = (float)(low + (high - low) * rng.NextDouble());
        return values;
    }

    public static float[] Gaussian(Random rng, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        return values;
    }

    /// <summary>|actual − expected| ≤ relative·|expected| + absolute, element by element, naming the first failure.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, double absolute, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            if (!(Math.Abs(actual[i] - (double)expected[i]) <= relative * Math.Abs(expected[i]) + absolute))
                Close(expected[i], actual[i], relative, absolute, $"{what}[{i}] (length {expected.Length})");
    }

    public static void Close(double expected, double actual, double relative, double absolute, string what) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected) + absolute,
            $"{what}: expected {expected:R}, got {actual:R}");
}
