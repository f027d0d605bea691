using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// The diagonal-Gaussian posterior q(z|x) = N(μ, diag(e^logvar)) against the prior N(0, I): the reparameterised
/// sample with its KL, and the backward pass through both. Spans are elementwise-aligned (one example's latent
/// row, or whole [rows, Z] blocks when μ and log σ² are stored in separate arrays).
/// </summary>
internal static class LatentKernels
{
    /// <summary>z = μ + e^(½·logvar) ⊙ ε; returns KL = ½ Σ (μ² + e^logvar − 1 − logvar) in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Reparameterize(ReadOnlySpan<float> mu, ReadOnlySpan<float> logVar, ReadOnlySpan<float> eps, Span<float> z)
    {
        CheckLengths(mu, logVar, eps, z.Length, nameof(z));
        ref var ms = ref MemoryMarshal.GetReference(mu);
        ref var vs = ref MemoryMarshal.GetReference(logVar);
        ref var es = ref MemoryMarshal.GetReference(eps);
        ref var zs = ref MemoryMarshal.GetReference(z);
        nuint n = (uint)mu.Length, i = 0;
        var sum = 0.0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<double>.Zero;
            var half = Vector512.Create(0.5f);
            for (; i + 16 <= n; i += 16)
            {
                var m = Vector512.LoadUnsafe(ref ms, i);
                var v = Vector512.LoadUnsafe(ref vs, i);
                var std = Vector512.Exp(half * v);
                Vector512.FusedMultiplyAdd(std, Vector512.LoadUnsafe(ref es, i), m).StoreUnsafe(ref zs, i);
                acc = VectorSums.Add(acc, m * m + std * std - Vector512<float>.One - v);
            }
            sum += Vector512.Sum(acc);
        }
        for (; i < n; i++)
        {
            float m = Unsafe.Add(ref ms, i), v = Unsafe.Add(ref vs, i);
            var std = MathF.Exp(0.5f * v);
            Unsafe.Add(ref zs, i) = MathF.FusedMultiplyAdd(std, Unsafe.Add(ref es, i), m);
            sum += m * m + std * std - 1f - v;
        }
        return 0.5 * sum;
    }

    /// <summary>Scalar twin of <see cref="Reparameterize"/>.</summary>
    public static double ReparameterizeScalar(ReadOnlySpan<float> mu, ReadOnlySpan<float> logVar, ReadOnlySpan<float> eps, Span<float> z)
    {
        CheckLengths(mu, logVar, eps, z.Length, nameof(z));
        var sum = 0.0;
        for (var i = 0; i < mu.Length; i++)
        {
            var std = MathF.Exp(0.5f * logVar[i]);
            z[i] = mu[i] + std * eps[i];
            sum += mu[i] * mu[i] + std * std - 1f - logVar[i];
        }
        return 0.5 * sum;
    }

    /// <summary>
    /// Gradients of L = Σ dz·z + klWeight·KL with respect to μ and logvar, given dz = ∂L/∂z from the decoder:
    /// dMu = dz + klWeight·μ; dLogVar = ½·dz·ε·e^(½·logvar) + ½·klWeight·(e^logvar − 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReparameterizeBackward(ReadOnlySpan<float> mu, ReadOnlySpan<float> logVar, ReadOnlySpan<float> eps,
        ReadOnlySpan<float> dz, float klWeight, Span<float> dMu, Span<float> dLogVar)
    {
        CheckLengths(mu, logVar, eps, dz.Length, nameof(dz));
        SpanChecks.SameLength(mu.Length, dMu.Length, nameof(mu), nameof(dMu));
        SpanChecks.SameLength(mu.Length, dLogVar.Length, nameof(mu), nameof(dLogVar));
        ref var ms = ref MemoryMarshal.GetReference(mu);
        ref var vs = ref MemoryMarshal.GetReference(logVar);
        ref var es = ref MemoryMarshal.GetReference(eps);
        ref var ds = ref MemoryMarshal.GetReference(dz);
        ref var dms = ref MemoryMarshal.GetReference(dMu);
        ref var dvs = ref MemoryMarshal.GetReference(dLogVar);
        nuint n = (uint)mu.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var half = Vector512.Create(0.5f);
            var w = Vector512.Create(klWeight);
            var halfW = Vector512.Create(0.5f * klWeight);
            for (; i + 16 <= n; i += 16)
            {
                var d = Vector512.LoadUnsafe(ref ds, i);
                var std = Vector512.Exp(half * Vector512.LoadUnsafe(ref vs, i));
                (d + w * Vector512.LoadUnsafe(ref ms, i)).StoreUnsafe(ref dms, i);
                (half * d * Vector512.LoadUnsafe(ref es, i) * std + halfW * (std * std - Vector512<float>.One)).StoreUnsafe(ref dvs, i);
            }
        }
        for (; i < n; i++)
        {
            var d = Unsafe.Add(ref ds, i);
            var std = MathF.Exp(0.5f * Unsafe.Add(ref vs, i));
            Unsafe.Add(ref dms, i) = d + klWeight * Unsafe.Add(ref ms, i);
            Unsafe.Add(ref dvs, i) = 0.5f * d * Unsafe.Add(ref es, i) * std + 0.5f * klWeight * (std * std - 1f);
        }
    }

    /// <summary>Scalar twin of <see cref="ReparameterizeBackward"/>.</summary>
    public static void ReparameterizeBackwardScalar(ReadOnlySpan<float> mu, ReadOnlySpan<float> logVar, ReadOnlySpan<float> eps,
        ReadOnlySpan<float> dz, float klWeight, Span<float> dMu, Span<float> dLogVar)
    {
        CheckLengths(mu, logVar, eps, dz.Length, nameof(dz));
        SpanChecks.SameLength(mu.Length, dMu.Length, nameof(mu), nameof(dMu));
        SpanChecks.SameLength(mu.Length, dLogVar.Length, nameof(mu), nameof(dLogVar));
        for (var i = 0; i < mu.Length; i++)
        {
            var std = MathF.Exp(0.5f * logVar[i]);
            dMu[i] = dz[i] + klWeight * mu[i];
            dLogVar[i] = 0.5f * dz[i] * eps[i] * std + 0.5f * klWeight * (std * std - 1f);
        }
    }

    private static void CheckLengths(ReadOnlySpan<float> mu, ReadOnlySpan<float> logVar, ReadOnlySpan<float> eps, int otherLength, string otherName)
    {
        SpanChecks.SameLength(mu.Length, logVar.Length, nameof(mu), nameof(logVar));
        SpanChecks.SameLength(mu.Length, eps.Length, nameof(mu), nameof(eps));
        SpanChecks.SameLength(mu.Length, otherLength, nameof(mu), otherName);
    }
}
