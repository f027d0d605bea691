using System.Numerics.Tensors;
using VaeSweep.Model.Kernels;
using VaeSweep.Model.Randomness;

namespace VaeSweep.Model.Layers;

/// <summary>
/// Fully connected layer y = x·Wᵀ + b with PyTorch's nn.Linear layout and initialisation. Its weights and
/// gradients are views into the model's flat parameter arrays, so Adam and checkpoints see one vector.
/// </summary>
internal sealed class Linear
{
    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private readonly int _offset;

    /// <param name="parameters">Flat parameter array; this layer owns [offset, offset + <see cref="ParameterCount"/>).</param>
    public Linear(int inputs, int outputs, float[] parameters, float[] gradients, int offset)
    {
        In = inputs;
        Out = outputs;
        _parameters = parameters;
        _gradients = gradients;
        _offset = offset;
    }

    public int In { get; }
    public int Out { get; }
    public int ParameterCount => Out * In + Out;

    /// <summary>Where W starts in the flat parameter array; b follows it.</summary>
    public int Offset => _offset;

    public Span<float> Weight => _parameters.AsSpan(_offset, Out * In);          // [Out, In]
    public Span<float> Bias => _parameters.AsSpan(_offset + Out * In, Out);       // [Out]
    public Span<float> WeightGrad => _gradients.AsSpan(_offset, Out * In);        // [Out, In]
    public Span<float> BiasGrad => _gradients.AsSpan(_offset + Out * In, Out);    // [Out]

    /// <summary>PyTorch default: kaiming_uniform(a=√5) for W and the same bound for b, i.e. U(−1/√In, 1/√In).</summary>
    public void Initialize(Xoshiro256StarStar rng)
    {
        var bound = 1.0 / Math.Sqrt(In);
        Fill(Weight, bound, rng);
        Fill(Bias, bound, rng);
    }

    private static void Fill(Span<float> values, double bound, Xoshiro256StarStar rng)
    {
        for (var i = 0; i < values.Length; i++) values[i] = (float)((2 * rng.NextDouble() - 1) * bound);
    }

    /// <summary>y[rows,Out] = x[rows,In]·Wᵀ + b.</summary>
    public void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int threads)
    {
        var output = y[..(rows * Out)];
        var bias = Bias;
        // Seeding C with the bias and accumulating saves a separate bias pass over y.
        for (var r = 0; r < rows; r++) bias.CopyTo(output.Slice(r * Out, Out));
        Gemm.Multiply(false, true, rows, Out, In, x[..(rows * In)], Weight, output, accumulate: true, threads);
    }

    /// <summary>
    /// From dy[rows,Out]: dW = dyᵀ·x and db = Σ_rows dy (overwritten, one batch per step), and dx[rows,In] = dy·W
    /// unless <paramref name="dx"/> is empty (the first layer needs no input gradient).
    /// </summary>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int rows, int threads)
    {
        var gradOut = dy[..(rows * Out)];
        Gemm.Multiply(true, false, Out, In, rows, gradOut, x[..(rows * In)], WeightGrad, accumulate: false, threads);
        var biasGrad = BiasGrad;
        gradOut[..Out].CopyTo(biasGrad);
        for (var r = 1; r < rows; r++) TensorPrimitives.Add(biasGrad, gradOut.Slice(r * Out, Out), biasGrad);
        if (!dx.IsEmpty)
            Gemm.Multiply(false, false, rows, In, Out, gradOut, Weight, dx[..(rows * In)], accumulate: false, threads);
    }
}
