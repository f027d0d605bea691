using VaeSweep.Model.Kernels;

namespace VaeSweep.Model.Tests.Kernels;

public class KernelThreadsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void EveryPartRunsExactlyOnceBeforeRunReturns(int parts)
    {
        for (var round = 0; round < 50; round++)
        {
            var counts = new int[parts];
            KernelThreads.Shared.Run(parts, part =>
            {
                Thread.SpinWait(200 * (part + 1));
                Interlocked.Increment(ref counts[part]);
            });
            Assert.All(counts, c => Assert.Equal(1, c));
        }
    }

    [Fact]
    public void ASinglePartRunsOnTheCallingThread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var ranOn = -1;
        KernelThreads.Shared.Run(1, _ => ranOn = Environment.CurrentManagedThreadId);
        Assert.Equal(caller, ranOn);
    }

    [Fact]
    public void AFailingPartIsRethrownAfterTheOthersFinish()
    {
        var finished = 0;
        var ex = Assert.Throws<InvalidOperationException>(() => KernelThreads.Shared.Run(3, part =>
        {
            if (part == 1) throw new InvalidOperationException("part 1 failed");
            Thread.SpinWait(5000);
            Interlocked.Increment(ref finished);
        }));
        Assert.Equal("part 1 failed", ex.Message);
        Assert.Equal(2, finished);
        // The crew is still usable afterwards.
        var counts = new int[2];
        KernelThreads.Shared.Run(2, part => Interlocked.Increment(ref counts[part]));
        Assert.Equal([1, 1], counts);
    }

    [Fact]
    public void OverlappingCallersBothCompleteEveryPart()
    {
        const int callers = 4, rounds = 40, parts = 3;
        var counts = new int[callers, rounds, parts];
        var threads = Enumerable.Range(0, callers).Select(c => new Thread(() =>
        {
            for (var r = 0; r < rounds; r++)
                KernelThreads.Shared.Run(parts, part =>
                {
                    Thread.SpinWait(100);
                    Interlocked.Increment(ref counts[c, r, part]);
                });
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a caller did not finish: deadlock?");
        foreach (var count in counts) Assert.Equal(1, count);
    }
}
