namespace VaeSweep.Model;

/// <summary>Shape of encoder and decoder.</summary>
public enum Architecture
{
    /// <summary>Fully connected layers of the configured hidden widths.</summary>
    Mlp,
    /// <summary>
    /// Two stride-2 convolutions (28×28 → 14×14 → 7×7) then the hidden widths, mirrored with transposed convolutions.
    /// Torch engine only; images must be 28×28.
    /// </summary>
    Conv,
}
