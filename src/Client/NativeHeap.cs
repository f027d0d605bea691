using System.Runtime.InteropServices;

namespace VaeSweep.Client;

/// <summary>
/// glibc's malloc settings for this process. Every epoch each trial's checkpoint (7.8 MB for the reference model)
/// passes through SQLite, which copies a bound blob and builds the row in native buffers of that size. glibc serves
/// a block that large with mmap, but after the first is freed it raises its mmap threshold to the block's size and
/// serves the next ones from its arenas, which keep the memory after free: on two trials side by side that was about
/// 30 MiB of peak RSS (docs/performance-run.md). Fixing the threshold at glibc's default keeps every large block an
/// mmap that free gives back.
/// </summary>
internal static partial class NativeHeap
{
    private const int MmapThresholdParameter = -3;     // M_MMAP_THRESHOLD in malloc.h
    private const int MmapThresholdBytes = 128 * 1024;  // glibc's own default, without its dynamic raising

    /// <summary>Returns whether glibc accepted the setting; false (and nothing changed) elsewhere.</summary>
    public static bool ReturnLargeBlocksOnFree()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return Mallopt(MmapThresholdParameter, MmapThresholdBytes) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no mallopt): its allocator has its own policy, and nothing here is needed for correctness.
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
