using System.Runtime.Intrinsics;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// An elementwise function in the style of TensorPrimitives' operators: a scalar definition and 256/512-bit forms
/// that agree with it to a few ulps. Implemented by readonly structs so generic kernels specialise and inline it.
/// </summary>
internal interface IUnaryOperator
{
    float Invoke(float x);

    Vector256<float> Invoke(Vector256<float> x);

    Vector512<float> Invoke(Vector512<float> x);
}
