using VaeSweep.Client.Spec.Expansion;

namespace VaeSweep.Client.Tests.Spec;

public sealed class SplitMix64Tests
{
    [Fact]
    public void Matches_the_reference_sequence()
    {
        // First outputs of the reference splitmix64.c with the state starting at 0.
        var rng = new SplitMix64(0);

        Assert.Equal(0xE220A8397B1DCDAFUL, rng.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, rng.NextUInt64());
    }

    [Fact]
    public void Inclusive_draws_cover_both_ends_and_nothing_outside()
    {
        var rng = new SplitMix64(42);
        var seen = new HashSet<long>();
        for (var i = 0; i < 1000; i++) seen.Add(rng.NextInclusive(-2, 2));

        Assert.Equal([-2L, -1L, 0L, 1L, 2L], seen.Order());
        Assert.Equal(7, new SplitMix64(1).NextInclusive(7, 7));
    }

    [Fact]
    public void Doubles_are_in_the_unit_interval()
    {
        var rng = new SplitMix64(5);
        for (var i = 0; i < 1000; i++) Assert.InRange(rng.NextDouble(), 0.0, Math.BitDecrement(1.0));
    }
}
