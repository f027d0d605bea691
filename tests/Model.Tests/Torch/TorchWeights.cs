using VaeSweep.Model.Torch;
using static TorchSharp.torch;

namespace VaeSweep.Model.Tests.Torch;

/// <summary>A torch network's parameters as one flat vector in the native engine's order, both ways.</summary>
internal static class TorchWeights
{
    public static float[] Flatten(TorchNetwork network) =>
        [.. network.Parameters.SelectMany(p => p.to_type(ScalarType.Float32).data<float>().ToArray())];

    public static void Load(TorchNetwork network, ReadOnlySpan<float> values)
    {
        using var _ = no_grad();
        var at = 0;
        foreach (var p in network.Parameters)
        {
            var n = (int)p.numel();
            using var source = tensor(values.Slice(at, n).ToArray(), p.shape).to_type(p.dtype);
            p.copy_(source);
            at += n;
        }
        Assert.Equal(values.Length, at);
    }
}
