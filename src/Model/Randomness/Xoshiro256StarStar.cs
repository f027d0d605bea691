namespace VaeSweep.Model.Randomness;

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna) with a Marsaglia-polar normal generator. Unlike System.Random its whole
/// state — four words plus the cached second normal of the last polar pair — can be saved and restored, which
/// is what makes a resumed run identical to an uninterrupted one.
/// </summary>
internal sealed class Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;
    private bool _hasSpare;
    private double _spare;

    private Xoshiro256StarStar(ulong seed) => Reseed(seed);

    /// <summary>A generator whose state is the SplitMix64 expansion of <paramref name="seed"/>.</summary>
    public static Xoshiro256StarStar FromSeed(ulong seed) => new(seed);

    /// <summary>Restarts the generator as if freshly created from <paramref name="seed"/>; allocation-free.</summary>
    public void Reseed(ulong seed)
    {
        // SplitMix64 never yields four zero words in a row, so the all-zero state (a fixed point) is impossible.
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
        _hasSpare = false;
        _spare = 0;
    }

    /// <summary>
    /// A seed for an independent stream named by (<paramref name="seed"/>, <paramref name="stream"/>,
    /// <paramref name="index"/>), so evaluation, validation and binarisation never consume the training stream.
    /// </summary>
    public static ulong DeriveSeed(ulong seed, ulong stream, ulong index = 0)
    {
        var x = seed;
        var h = SplitMix64(ref x);
        x = h ^ (stream * 0xD1B54A32D192ED03UL);
        h = SplitMix64(ref x);
        x = h ^ (index * 0xAEF17502108EF2D9UL);
        return SplitMix64(ref x);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), $"bound: must be positive, got {bound}");
        var b = (ulong)bound;
        var product = Math.BigMul(NextUInt64(), b, out var low);
        if (low < b)
        {
            var threshold = (0 - b) % b;
            while (low < threshold) product = Math.BigMul(NextUInt64(), b, out low);
        }
        return (int)product;
    }

    /// <summary>Standard normal by Marsaglia's polar method; the second value of each pair is cached in the state.</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        var f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spare = v * f;
        _hasSpare = true;
        return u * f;
    }

    /// <summary>Fisher–Yates shuffle.</summary>
    public void Shuffle(Span<int> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public const int StateBytes = 4 * sizeof(ulong) + 1 + sizeof(double);

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_s0);
        writer.Write(_s1);
        writer.Write(_s2);
        writer.Write(_s3);
        writer.Write(_hasSpare);
        writer.Write(_spare);
    }

    /// <summary>Replaces the state with one written by <see cref="WriteState"/>.</summary>
    public void ReadState(BinaryReader reader)
    {
        _s0 = reader.ReadUInt64();
        _s1 = reader.ReadUInt64();
        _s2 = reader.ReadUInt64();
        _s3 = reader.ReadUInt64();
        _hasSpare = reader.ReadBoolean();
        _spare = reader.ReadDouble();
        if ((_s0 | _s1 | _s2 | _s3) == 0) throw new InvalidDataException("random generator state is all zero");
    }

    /// <summary>Test hook: the raw four-word state, for checking against the published reference outputs.</summary>
    internal static Xoshiro256StarStar FromState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        var rng = new Xoshiro256StarStar(0) { _s0 = s0, _s1 = s1, _s2 = s2, _s3 = s3 };
        return rng;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
