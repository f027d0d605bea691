namespace VaeSweep.Model.Data;

/// <summary>
/// Per-feature z-scoring x' = (x − m_d)/s_d, with m and s the mean and (population) standard deviation of the
/// training split only, so no validation or test example informs it. A constant feature gets s = 1 (it only moves).
/// </summary>
/// <remarks>
/// The model then is a density of x', and log p(x) = log p(x') − Σ_d log s_d: <see cref="LogJacobian"/> is that
/// second term, which the held-out estimates add so they stay densities of the data as given.
/// </remarks>
public sealed class Standardization
{
    private readonly float[] _mean;
    private readonly float[] _scale;

    private Standardization(float[] mean, float[] scale)
    {
        _mean = mean;
        _scale = scale;
        var logScale = 0.0;
        foreach (var s in scale) logScale += Math.Log(s);
        LogJacobian = -logScale;
    }

    /// <summary>[D] m_d.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>[D] s_d, positive.</summary>
    public IReadOnlyList<float> Scale => _scale;

    public int Dimension => _mean.Length;

    /// <summary>−Σ_d log s_d (of the float scales actually applied): add to log p(x') to get log p(x).</summary>
    public double LogJacobian { get; }

    /// <summary>Fits m and s on <paramref name="indices"/> of <paramref name="data"/> (in model input units: bytes are /255), in double.</summary>
    public static Standardization Fit(ImageSet data, IReadOnlyList<int> indices)
    {
        if (indices.Count == 0) throw new ArgumentException("cannot standardise on an empty training split", nameof(indices));
        var d = data.Dimension;
        var sum = new double[d];
        var squares = new double[d];
        var row = new float[d];
        foreach (var i in indices)
        {
            Unscaled(data, i, row);
            for (var j = 0; j < d; j++)
            {
                sum[j] += row[j];
                squares[j] += (double)row[j] * row[j];
            }
        }
        var mean = new float[d];
        var scale = new float[d];
        var n = (double)indices.Count;
        for (var j = 0; j < d; j++)
        {
            var m = sum[j] / n;
            // Two sums rather than a second pass: the inputs are floats, so the cancellation stays far below float precision.
            var variance = Math.Max(0, squares[j] / n - m * m);
            var s = (float)Math.Sqrt(variance);
            mean[j] = (float)m;
            scale[j] = s > 0 && float.IsFinite(s) ? s : 1f;
        }
        return new Standardization(mean, scale);
    }

    /// <summary>x' = (x − m)/s in place.</summary>
    public void Apply(Span<float> x)
    {
        for (var j = 0; j < x.Length; j++) x[j] = (x[j] - _mean[j]) / _scale[j];
    }

    /// <summary>x = x'·s + m in place: model outputs back in the data's units.</summary>
    public void Invert(Span<float> x)
    {
        var d = Dimension;
        for (var i = 0; i < x.Length; i++) x[i] = x[i] * _scale[i % d] + _mean[i % d];
    }

    private static void Unscaled(ImageSet data, int index, Span<float> row)
    {
        if (data.IsFloat)
        {
            data.Row(index).CopyTo(row);
            return;
        }
        var bytes = data.Image(index);
        for (var j = 0; j < row.Length; j++) row[j] = bytes[j] / 255f;
    }
}
