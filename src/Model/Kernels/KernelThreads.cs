using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// Fork-join for the kernels: <see cref="Run"/> executes the parts of a split on the calling thread and dedicated
/// worker threads, and returns when all are done.
/// </summary>
/// <remarks>
/// Why not Parallel.For: on this 2-core VM a parked thread-pool worker often took longer to wake than a whole
/// 128-row GEMM (~400 µs), so Parallel.For ran both halves on the caller in most calls (measured: 270 of 300 for
/// 400 µs parts) — two threads were no faster than one. These workers instead poll for <see cref="SpinTime"/> after each part (a training step issues a
/// GEMM every few hundred µs, so they stay awake through a step), then block on a semaphore; the same trade-off
/// OpenMP and OpenBLAS make. The poll yields the core (sched_yield) on every turn, so on an oversubscribed host a
/// polling worker does not starve the caller it waits for. Polling only happens in processes that asked for more
/// than one thread.
/// One process-wide crew, like ArrayPool.Shared: it holds nothing between calls and cannot change a result (every
/// caller's split is fixed by its arguments, not by who runs a part). If two callers overlap, the second runs its
/// parts one after another on its own thread instead of waiting — same bits, no deadlock.
/// </remarks>
internal sealed class KernelThreads
{
    /// <summary>How long an idle worker keeps polling before it blocks.</summary>
    private static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(2);

    private static readonly Lazy<KernelThreads> LazyShared = new(() => new KernelThreads());

    public static KernelThreads Shared => LazyShared.Value;

    private readonly Lock _gate = new();
    private readonly List<Worker> _workers = [];

    /// <summary>
    /// Runs body(0) … body(parts − 1) and returns when all are done; rethrows the first failure. Parts are claimed
    /// first come, first served by the caller and up to parts − 1 workers, so when the host is oversubscribed and a
    /// worker is slow to get a core, the caller simply runs the remaining parts itself (what Parallel.For would
    /// do) instead of waiting for it.
    /// </summary>
    public void Run(int parts, Action<int> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        if (parts == 1 || !_gate.TryEnter())
        {
            for (var part = 0; part < parts; part++) body(part);
            return;
        }
        try
        {
            while (_workers.Count < parts - 1) _workers.Add(new Worker(_workers.Count + 1));
            var job = new Job(body, parts);
            for (var w = 0; w < parts - 1; w++) _workers[w].Post(job);
            job.Work();
            job.Wait();
            if (job.Failure is not null) ExceptionDispatchInfo.Capture(job.Failure).Throw();
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>One split: parts are claimed by index, completions counted, the first exception kept.</summary>
    private sealed class Job(Action<int> body, int parts)
    {
        private readonly int _parts = parts;
        private int _claimed;
        private int _remaining = parts;

        public Exception? Failure { get; private set; }

        /// <summary>Claims and runs parts until none are left (returns at once if a late worker finds none).</summary>
        public void Work()
        {
            int part;
            while ((part = Interlocked.Increment(ref _claimed) - 1) < _parts)
            {
                try
                {
                    body(part);
                }
                catch (Exception ex)
                {
                    lock (this) Failure ??= ex;
                }
                Interlocked.Decrement(ref _remaining);
            }
        }

        /// <summary>Spins: a part still running elsewhere started no later than the caller's last one ended.</summary>
        public void Wait()
        {
            var spinner = new SpinWait();
            while (Volatile.Read(ref _remaining) > 0) spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>One background thread with a one-item mailbox.</summary>
    private sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);
        private Job? _job;
        private int _posted;     // incremented by the caller per job
        private int _sleeping;   // 1 while the worker is (about to be) blocked on _wake

        public Worker(int index)
        {
            new Thread(Loop) { IsBackground = true, Name = $"VaeSweep kernel worker {index}" }.Start();
        }

        public void Post(Job job)
        {
            Volatile.Write(ref _job, job);
            Interlocked.Increment(ref _posted);   // full fence: the job is visible before the count moves
            if (Interlocked.Exchange(ref _sleeping, 0) == 1) _wake.Release();
        }

        private void Loop()
        {
            var seen = 0;
            while (true)
            {
                var spinUntil = Stopwatch.GetTimestamp() + (long)(SpinTime.TotalSeconds * Stopwatch.Frequency);
                while (Volatile.Read(ref _posted) == seen)
                {
                    if (Stopwatch.GetTimestamp() < spinUntil)
                    {
                        // Yielding spin: on an oversubscribed host the caller may share this core, and a pure
                        // pause loop would hold the core for the whole spin time while the caller waits.
                        Thread.Yield();
                        continue;
                    }
                    Interlocked.Exchange(ref _sleeping, 1);
                    // Re-check after announcing sleep: a job posted in between would otherwise wait for a wake-up
                    // that its poster decided not to send.
                    if (Volatile.Read(ref _posted) == seen) _wake.Wait();
                    Interlocked.Exchange(ref _sleeping, 0);
                    spinUntil = Stopwatch.GetTimestamp() + (long)(SpinTime.TotalSeconds * Stopwatch.Frequency);
                }
                seen = Volatile.Read(ref _posted);
                // A job overtaken by a newer post is harmless: claims are atomic, so a finished job yields nothing.
                Volatile.Read(ref _job)!.Work();
            }
        }
    }
}
