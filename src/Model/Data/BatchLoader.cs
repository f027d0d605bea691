using VaeSweep.Model.Randomness;

namespace VaeSweep.Model.Data;

/// <summary>
/// Gathers examples by index and converts them to float model inputs, into a caller's reused buffer: bytes scaled by
/// 1/255, floats as given, binarised when the mode says so, then z-scored when the set carries a standardisation.
/// </summary>
internal static class BatchLoader
{
    /// <summary>Seed of <see cref="PixelMode.FixedSample"/>; a constant so evaluation data never depends on a trial.</summary>
    public const ulong FixedSampleSeed = 0x5EED_B1A5_0F_F1C5UL;

    private static readonly float[] Scale = BuildScale();

    /// <summary>Loads images[indices[r]] into x[r·D, (r+1)·D) for each r.</summary>
    /// <param name="fileId">Distinguishes the training and test files for <see cref="PixelMode.FixedSample"/>.</param>
    /// <param name="rng">The trial generator (<see cref="PixelMode.Sample"/>) or a scratch generator that
    /// <see cref="PixelMode.FixedSample"/> reseeds per example; unused otherwise.</param>
    public static void Load(ImageSet images, ReadOnlySpan<int> indices, Span<float> x, PixelMode mode, int fileId, Xoshiro256StarStar? rng)
    {
        var d = images.Dimension;
        for (var r = 0; r < indices.Length; r++)
        {
            var target = x.Slice(r * d, d);
            if (images.IsFloat) LoadValues(images.Row(indices[r]), target, mode, fileId, indices[r], rng);
            else LoadBytes(images.Image(indices[r]), target, mode, fileId, indices[r], rng);
            images.Standardization?.Apply(target);
        }
    }

    private static void LoadBytes(ReadOnlySpan<byte> source, Span<float> target, PixelMode mode, int fileId, int index, Xoshiro256StarStar? rng)
    {
        switch (mode)
        {
            case PixelMode.Grey:
                for (var j = 0; j < target.Length; j++) target[j] = Scale[source[j]];
                break;
            case PixelMode.Threshold:
                for (var j = 0; j < target.Length; j++) target[j] = source[j] >= 128 ? 1f : 0f;
                break;
            case PixelMode.Sample:
                Sample(source, target, rng ?? throw new ArgumentNullException(nameof(rng)));
                break;
            case PixelMode.FixedSample:
                var generator = rng ?? throw new ArgumentNullException(nameof(rng));
                generator.Reseed(Xoshiro256StarStar.DeriveSeed(FixedSampleSeed, (ulong)fileId, (ulong)index));
                Sample(source, target, generator);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown pixel mode");
        }
    }

    // Float data binarises like bytes: the value is the probability (the spec requires [0, 1] for the Bernoulli likelihood).
    private static void LoadValues(ReadOnlySpan<float> source, Span<float> target, PixelMode mode, int fileId, int index, Xoshiro256StarStar? rng)
    {
        switch (mode)
        {
            case PixelMode.Grey:
                source.CopyTo(target);
                break;
            case PixelMode.Threshold:
                for (var j = 0; j < target.Length; j++) target[j] = source[j] >= 0.5f ? 1f : 0f;
                break;
            case PixelMode.Sample:
                Sample(source, target, rng ?? throw new ArgumentNullException(nameof(rng)));
                break;
            case PixelMode.FixedSample:
                var generator = rng ?? throw new ArgumentNullException(nameof(rng));
                generator.Reseed(Xoshiro256StarStar.DeriveSeed(FixedSampleSeed, (ulong)fileId, (ulong)index));
                Sample(source, target, generator);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown pixel mode");
        }
    }

    private static void Sample(ReadOnlySpan<float> source, Span<float> target, Xoshiro256StarStar rng)
    {
        for (var j = 0; j < source.Length; j++)
        {
            var p = source[j];
            target[j] = p <= 0f ? 0f : p >= 1f ? 1f : rng.NextSingle() < p ? 1f : 0f;
        }
    }

    // Pixels at 0 or 255 are certain, so they draw nothing: cheaper, and still a fixed function of the stream.
    private static void Sample(ReadOnlySpan<byte> source, Span<float> target, Xoshiro256StarStar rng)
    {
        for (var j = 0; j < source.Length; j++)
        {
            var b = source[j];
            target[j] = b switch
            {
                0 => 0f,
                255 => 1f,
                _ => rng.NextSingle() < Scale[b] ? 1f : 0f,
            };
        }
    }

    private static float[] BuildScale()
    {
        var scale = new float[256];
        for (var i = 0; i < scale.Length; i++) scale[i] = i / 255f;
        return scale;
    }
}
