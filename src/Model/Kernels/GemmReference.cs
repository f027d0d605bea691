namespace VaeSweep.Model.Kernels;

/// <summary>The plain scalar twin of <see cref="Gemm"/>: the oracle its tests compare against.</summary>
internal static class GemmReference
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate)
    {
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            var sum = 0f;
            for (var p = 0; p < k; p++)
                sum += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
            c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
        }
    }
}
