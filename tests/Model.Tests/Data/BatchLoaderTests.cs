using VaeSweep.Model.Data;
using VaeSweep.Model.Randomness;

namespace VaeSweep.Model.Tests.Data;

public class BatchLoaderTests
{
    private static readonly ImageSet Ramp = new(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), new byte[4], 4, 8, 8);

    [Fact]
    public void Grey_is_byte_over_255_and_follows_the_indices()
    {
        var x = new float[2 * 64];
        BatchLoader.Load(Ramp, [3, 0], x, PixelMode.Grey, 0, null);
        Assert.Equal(192 / 255f, x[0]);
        Assert.Equal(1f, x[63]);
        Assert.Equal(0f, x[64]);
        Assert.Equal(63 / 255f, x[127]);
    }

    [Fact]
    public void Threshold_is_one_exactly_when_p_exceeds_one_half()
    {
        var x = new float[4 * 64];
        BatchLoader.Load(Ramp, [0, 1, 2, 3], x, PixelMode.Threshold, 0, null);
        for (var b = 0; b < 256; b++) Assert.Equal(b >= 128 ? 1f : 0f, x[b]);
    }

    [Fact]
    public void Sample_is_bernoulli_of_the_grey_level()
    {
        var images = new ImageSet(Enumerable.Repeat((byte)51, 64).ToArray(), [0], 1, 8, 8);   // p = 0.2
        var rng = Xoshiro256StarStar.FromSeed(1);
        var x = new float[64];
        var ones = 0.0;
        for (var n = 0; n < 500; n++)
        {
            BatchLoader.Load(images, [0], x, PixelMode.Sample, 0, rng);
            ones += x.Sum();
        }
        Assert.InRange(ones / (500 * 64), 0.19, 0.21);   // SE 0.0016
    }

    [Fact]
    public void Certain_pixels_stay_certain_when_sampled()
    {
        var x = new float[4 * 64];
        BatchLoader.Load(Ramp, [0, 1, 2, 3], x, PixelMode.Sample, 0, Xoshiro256StarStar.FromSeed(2));
        Assert.Equal(0f, x[0]);
        Assert.Equal(1f, x[255]);
        Assert.All(x, v => Assert.True(v is 0f or 1f));
    }

    [Fact]
    public void Fixed_sample_depends_only_on_file_and_example()
    {
        float[] Load(int[] indices, int fileId, ulong scratchSeed)
        {
            var x = new float[indices.Length * 64];
            BatchLoader.Load(Ramp, indices, x, PixelMode.FixedSample, fileId, Xoshiro256StarStar.FromSeed(scratchSeed));
            return x;
        }
        var alone = Load([2], 0, 1);
        var inBatch = Load([3, 2], 0, 99);
        Assert.Equal(alone, inBatch[64..]);            // position in the batch and generator state do not matter
        Assert.NotEqual(alone, Load([2], 1, 1));       // the test file's example 2 is another draw
        Assert.Equal(Load([3], 0, 5), inBatch[..64]);
        var mean = Load([2], 0, 1).Average();
        Assert.InRange(mean, 0.4, 1.0);                // grey levels 128..191 → p ≈ 0.63
    }
}
