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
    public void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int threads) =>
        Forward<IdentityOperator>(x, y, rows, threads);

    /// <summary>y[rows,Out] = act(x[rows,In]·Wᵀ + b): the GEMM, then the bias add and activation in one pass over y.</summary>
    public void Forward<TActivation>(ReadOnlySpan<float> x, Span<float> y, int rows, int threads)
        where TActivation : struct, IUnaryOperator
    {
        var output = y[..(rows * Out)];
        Gemm.Multiply(false, true, rows, Out, In, x[..(rows * In)], Weight, output, accumulate: false, threads);
        Elementwise.BiasActivation<TActivation>(output, Bias);
    }

    /// <summary>
    /// From dy[rows,Out]: dW = dyᵀ·x and db = Σ_rows dy (overwritten, one batch per step), and dx[rows,In] = dy·W
    /// unless <paramref name="dx"/> is empty (the first layer needs no input gradient).
    /// </summary>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int rows, int threads)
    {
        Elementwise.ColumnSums(dy[..(rows * Out)], BiasGrad);
        WeightAndInputGradients(x, dy, dx, rows, threads);
    }

    /// <summary>
    /// Backward of y = relu(x·Wᵀ + b) from its output y[rows,Out] and dy = ∂/∂y: dy is masked in place to ∂/∂(pre-activation)
    /// and db summed in the same pass, then dW and dx as in <see cref="Backward"/>.
    /// </summary>
    public void BackwardRelu(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dy, Span<float> dx, int rows, int threads)
    {
        var size = rows * Out;
        Elementwise.ReluBackwardWithBiasGradient(y[..size], dy[..size], BiasGrad);
        WeightAndInputGradients(x, dy, dx, rows, threads);
    }

    private void WeightAndInputGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int rows, int threads)
    {
        var gradOut = dy[..(rows * Out)];
        Gemm.Multiply(true, false, Out, In, rows, gradOut, x[..(rows * In)], WeightGrad, accumulate: false, threads);
        if (!dx.IsEmpty)
            Gemm.Multiply(false, false, rows, In, Out, gradOut, Weight, dx[..(rows * In)], accumulate: false, threads);
    }
}
