using System.Runtime.InteropServices;

namespace VaeSweep.Client.Tests;

public class NativeHeapTests
{
    private const nuint Block = 8 * 1024 * 1024;   // about a reference checkpoint
    private const ulong IsMmapped = 0x2;            // glibc's chunk flag: served by mmap, so free unmaps it

    /// <summary>
    /// glibc left alone raises its mmap threshold when the first large block is freed, so a second block of the same
    /// size comes from an arena, which keeps it after free. With the setting it is served by mmap again. Whether it was
    /// is read from glibc's chunk header (the size word just before the block), not from the process's mappings, which
    /// other tests' threads change meanwhile.
    /// </summary>
    [Fact]
    public unsafe void ALargeBlockIsStillMmappedAfterAnotherWasFreed()
    {
        Assert.True(NativeHeap.ReturnLargeBlocksOnFree(), "glibc refused M_MMAP_THRESHOLD");

        var first = NativeMemory.Alloc(Block);
        Assert.True(Mmapped(first), "the first 8 MiB block was not served by mmap");
        NativeMemory.Free(first);

        var second = NativeMemory.Alloc(Block);
        var mmapped = Mmapped(second);
        NativeMemory.Free(second);
        Assert.True(mmapped, "after a large block was freed, the next one came from an arena that keeps it");
    }

    private static unsafe bool Mmapped(void* block) => (((ulong*)block)[-1] & IsMmapped) != 0;
}
