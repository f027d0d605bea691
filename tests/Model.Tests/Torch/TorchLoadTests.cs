using TorchSharp;
using static TorchSharp.torch;

namespace VaeSweep.Model.Tests.Torch;

/// <summary>
/// Fails when libtorch cannot load here: on Debian 12 that means the build step in build/TorchSharpGlibcxx.targets did
/// not mark GLIBCXX_3.4.32 weak in the copy of libLibTorchSharp.so in the output.
/// </summary>
public class TorchLoadTests
{
    [Fact]
    public void Libtorch_loads_multiplies_matrices_and_differentiates()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]).requires_grad_();
        using var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using var c = matmul(a, b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());

        using var sum = c.sum();
        sum.backward();
        // ∂Σ(AB)/∂A[i,k] = Σ_j B[k,j]: the row sums of B.
        Assert.Equal(new float[] { 11, 15, 11, 15 }, a.grad!.data<float>().ToArray());
    }

    [Fact]
    public void The_loaded_libtorch_is_the_pinned_version()
    {
        Assert.StartsWith("2.10.0", torch.__version__);
    }
}
