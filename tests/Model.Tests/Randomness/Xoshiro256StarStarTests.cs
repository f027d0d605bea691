using VaeSweep.Model.Randomness;

namespace VaeSweep.Model.Tests.Randomness;

public class Xoshiro256StarStarTests
{
    [Fact]
    public void Matches_the_published_reference_sequence()
    {
        // The authors' reference implementation started from state {1, 2, 3, 4}.
        var rng = Xoshiro256StarStar.FromState(1, 2, 3, 4);
        ulong[] expected =
        [
            11520, 0, 1509978240, 1215971899390074240, 1216172134540287360,
            607988272756665600, 16172922978634559625, 8476171486693032832, 10595114339597558777, 2904607092377533576,
        ];
        Assert.Equal(expected, expected.Select(_ => rng.NextUInt64()).ToArray());
    }

    [Fact]
    public void Saved_state_includes_the_cached_normal()
    {
        var rng = Xoshiro256StarStar.FromSeed(9);
        rng.NextGaussian();   // leaves the pair's second value cached
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) rng.WriteState(writer);
        Assert.Equal(Xoshiro256StarStar.StateBytes, buffer.Length);
        var expected = Enumerable.Range(0, 5).Select(_ => rng.NextGaussian()).ToArray();

        var restored = Xoshiro256StarStar.FromSeed(12345);
        buffer.Position = 0;
        restored.ReadState(new BinaryReader(buffer));
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => restored.NextGaussian()).ToArray());
    }

    [Fact]
    public void Normals_have_zero_mean_and_unit_variance()
    {
        var rng = Xoshiro256StarStar.FromSeed(4);
        const int n = 200_000;
        double sum = 0, sumSq = 0, sumFourth = 0;
        for (var i = 0; i < n; i++)
        {
            var v = rng.NextGaussian();
            sum += v;
            sumSq += v * v;
            sumFourth += v * v * v * v;
        }
        Assert.InRange(sum / n, -0.01, 0.01);             // SE 0.0022
        Assert.InRange(sumSq / n, 0.985, 1.015);          // SE 0.0032
        Assert.InRange(sumFourth / n, 2.9, 3.1);          // normal kurtosis 3, SE ≈ 0.02
    }

    [Fact]
    public void Uniforms_lie_in_the_unit_interval_and_integers_in_range()
    {
        var rng = Xoshiro256StarStar.FromSeed(5);
        var counts = new int[7];
        for (var i = 0; i < 70_000; i++)
        {
            Assert.InRange(rng.NextDouble(), 0.0, 0.9999999999999999);
            Assert.InRange(rng.NextSingle(), 0f, 0.99999994f);
            counts[rng.NextInt(7)]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
    }

    [Fact]
    public void Shuffle_is_a_seeded_permutation()
    {
        int[] Shuffled(ulong seed)
        {
            var items = Enumerable.Range(0, 50).ToArray();
            Xoshiro256StarStar.FromSeed(seed).Shuffle(items);
            return items;
        }
        Assert.Equal(Enumerable.Range(0, 50), Shuffled(1).Order());
        Assert.Equal(Shuffled(1), Shuffled(1));
        Assert.NotEqual(Shuffled(1), Shuffled(2));
        Assert.NotEqual(Enumerable.Range(0, 50), Shuffled(1));
    }

    [Fact]
    public void Derived_streams_differ_by_stream_and_index()
    {
        var seeds = new[]
        {
            Xoshiro256StarStar.DeriveSeed(1, 0), Xoshiro256StarStar.DeriveSeed(1, 1), Xoshiro256StarStar.DeriveSeed(1, 1, 1),
            Xoshiro256StarStar.DeriveSeed(1, 1, 2), Xoshiro256StarStar.DeriveSeed(2, 0), Xoshiro256StarStar.DeriveSeed(2, 1),
        };
        Assert.Equal(seeds.Length, seeds.Distinct().Count());
        Assert.Equal(Xoshiro256StarStar.DeriveSeed(7, 3, 4), Xoshiro256StarStar.DeriveSeed(7, 3, 4));
    }
}
