namespace VaeSweep.Model.Data;

/// <summary>How <see cref="BatchLoader"/> turns a byte into a model input.</summary>
internal enum PixelMode
{
    /// <summary>p = byte/255.</summary>
    Grey,
    /// <summary>1 when p &gt; ½ (byte ≥ 128), else 0: the static binarisation, identical for every trial.</summary>
    Threshold,
    /// <summary>Bernoulli(p) from the trial's generator, fresh every time a batch is drawn (dynamic binarisation).</summary>
    Sample,
    /// <summary>
    /// Bernoulli(p) from a generator seeded by (file, example index) alone: dynamic binarisation's fixed
    /// evaluation data, the same for every trial, batch size and call.
    /// </summary>
    FixedSample,
}
