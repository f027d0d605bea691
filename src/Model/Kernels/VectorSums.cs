using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// Float terms accumulated in double lanes: a batch's loss sums ~10⁵ terms, which float lanes would round to ~4
/// digits. Widening costs two conversions per vector, little next to the exp the loss kernels already pay.
/// </summary>
internal static class VectorSums
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> sum, Vector512<float> terms)
    {
        var (lower, upper) = Vector512.Widen(terms);
        return sum + lower + upper;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Add(Vector256<double> sum, Vector256<float> terms)
    {
        var (lower, upper) = Vector256.Widen(terms);
        return sum + lower + upper;
    }
}
