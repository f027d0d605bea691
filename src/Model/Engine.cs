namespace VaeSweep.Model;

/// <summary>What trains a trial: the project's own C# kernels, or libtorch through TorchSharp.</summary>
public enum Engine
{
    /// <summary>Plain C# (System.Numerics.Tensors, intrinsics); no native dependencies.</summary>
    Native,
    /// <summary>libtorch 2.10.0 CPU via TorchSharp; needed for <see cref="Architecture.Conv"/>.</summary>
    Torch,
}
