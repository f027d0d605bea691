using VaeSweep.Model.Data;

namespace VaeSweep.Model.Tests.TestSupport;

/// <summary>Small image sets with learnable structure, generated from a seed.</summary>
internal static class SyntheticImages
{
    /// <summary>
    /// <paramref name="count"/> images of one bright horizontal or vertical bar on a dark background, with
    /// grey-level noise: a handful of latent factors (orientation, position) that a VAE can learn quickly.
    /// </summary>
    public static ImageSet Bars(int count, int rows = 8, int columns = 8, int seed = 1)
    {
        var random = new Random(seed);
        var pixels = new byte[count * rows * columns];
        var labels = new byte[count];
        for (var n = 0; n < count; n++)
        {
            var vertical = random.Next(2) == 1;
            var position = random.Next(vertical ? columns : rows);
            labels[n] = (byte)(vertical ? 1 : 0);
            for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                var on = vertical ? c == position : r == position;
                var level = on ? 200 + random.Next(56) : random.Next(40);
                pixels[(n * rows + r) * columns + c] = (byte)level;
            }
        }
        return new ImageSet(pixels, labels, count, rows, columns);
    }

    /// <summary>Uniformly random bytes.</summary>
    public static ImageSet Noise(int count, int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * rows * columns];
        random.NextBytes(pixels);
        return new ImageSet(pixels, new byte[count], count, rows, columns);
    }

    /// <summary>Train/validation/test splits of bar images: <paramref name="train"/> + <paramref name="validation"/> in the training file.</summary>
    public static DataSplits BarSplits(int train = 160, int validation = 40, int test = 40) =>
        DataSplits.Create(Bars(train + validation, seed: 1), Bars(test, seed: 2), validation, splitSeed: 7);
}
