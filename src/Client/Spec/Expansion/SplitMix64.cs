namespace VaeSweep.Client.Spec.Expansion;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014). Random sweeps use it rather than <see cref="Random"/> because its
/// output is fixed by its definition, so a spec expands to the same trials on every runtime version.
/// </summary>
internal sealed class SplitMix64(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on the integers low..high, both inclusive, without modulo bias.</summary>
    public long NextInclusive(long low, long high)
    {
        if (low > high) throw new ArgumentException($"low {low} is above high {high}");
        var range = unchecked((ulong)(high - low)) + 1;
        if (range == 0) return unchecked((long)NextUInt64()); // the whole 64-bit range
        var limit = ulong.MaxValue - ulong.MaxValue % range;
        ulong draw;
        do draw = NextUInt64(); while (draw >= limit);
        return low + (long)(draw % range);
    }
}
