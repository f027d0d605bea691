using System.Runtime.Intrinsics;

namespace VaeSweep.Model.Kernels;

/// <summary>max(x, 0), propagating NaN in every form (IEEE maximum, not vmaxps' "second operand"), so a diverging
/// pre-activation stays visible downstream.</summary>
internal readonly struct ReluOperator : IUnaryOperator
{
    public float Invoke(float x) => MathF.Max(x, 0f);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
}

/// <summary>x: the linear "activation", so the bias kernels serve output layers too.</summary>
internal readonly struct IdentityOperator : IUnaryOperator
{
    public float Invoke(float x) => x;
    public Vector256<float> Invoke(Vector256<float> x) => x;
    public Vector512<float> Invoke(Vector512<float> x) => x;
}

/// <summary>
/// 1 / (1 + e⁻ˣ) with <see cref="FastExp"/>: within ~3 ulp of the exact value, bit-identical across the scalar and
/// SIMD forms, and it saturates cleanly to [1.6e-38, 1] (never NaN, never subnormal) for any finite x.
/// </summary>
internal readonly struct SigmoidOperator : IUnaryOperator
{
    public float Invoke(float x) => 1f / (1f + FastExp.Exp(-x));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + FastExp.Exp(-x));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + FastExp.Exp(-x));
}
