namespace VaeSweep.Tests.Shared;

/// <summary>
/// A machine-wide lock over the shared local broker, so that test assemblies run in parallel by
/// <c>dotnet test VaeSweep.sln</c> never meet there: one restarting the broker under another's sweep would
/// turn that test's timing upside down. An exclusive flock (FileShare.None) on a well-known file in the temp
/// directory; the kernel drops it with the process, so a killed test host leaves no stale lock.
/// </summary>
internal sealed class BrokerLock : IDisposable
{
    /// <summary>Every test assembly that uses the local broker should hold this same file while it does.</summary>
    public static readonly string FilePath = Path.Combine(Path.GetTempPath(), "vaesweep-broker-tests.lock");

    private readonly FileStream file;

    private BrokerLock(FileStream file) => this.file = file;

    /// <summary>Waits for the lock, polling; throws after <paramref name="limit"/> so a stuck holder fails the test instead of hanging it.</summary>
    public static async Task<BrokerLock> AcquireAsync(TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                return new BrokerLock(new FileStream(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(250);
            }
            catch (IOException e)
            {
                throw new TimeoutException($"{FilePath}: another test process held the broker lock for over {limit.TotalMinutes:0} min", e);
            }
        }
    }

    /// <summary>The same wait, blocking, for constructors (xunit makes a test class synchronously).</summary>
    public static BrokerLock Acquire(TimeSpan limit) => AcquireAsync(limit).GetAwaiter().GetResult();

    public void Dispose() => file.Dispose();
}
