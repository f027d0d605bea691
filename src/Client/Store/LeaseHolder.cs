using System.Diagnostics;

namespace VaeSweep.Client.Store;

/// <summary>
/// A client process that holds, or asks for, a sweep's lease: a fresh id per run, and where it runs, so a successor
/// on the same host can tell at once that the holder's process is gone rather than wait for the lease to expire.
/// </summary>
/// <param name="Owner">Unique per run of the command (not per process: tests run several in one process).</param>
/// <param name="ProcessStarted">With the pid, names the process even after the pid is reused.</param>
public sealed record LeaseHolder(string Owner, string Host, int Pid, DateTimeOffset ProcessStarted)
{
    /// <summary>This process, under a new owner id.</summary>
    public static LeaseHolder ThisProcess()
    {
        using var self = Process.GetCurrentProcess();
        return new LeaseHolder(Guid.NewGuid().ToString("N"), Environment.MachineName, self.Id, StartTime(self));
    }

    /// <summary>"pid 1234 on host" for messages.</summary>
    public override string ToString() => $"pid {Pid} on {Host}";

    /// <summary>
    /// True when this holder ran on this host and its process is no longer running (or the pid now belongs to a
    /// process started at another time). A holder on another host is never known to be gone: its lease must expire.
    /// </summary>
    public bool IsGoneFromThisHost()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.Ordinal)) return false;
        try
        {
            using var process = Process.GetProcessById(Pid);
            return process.HasExited || Math.Abs((StartTime(process) - ProcessStarted).TotalSeconds) > 1;
        }
        catch (ArgumentException)
        {
            // No process has that id.
            return true;
        }
        catch (InvalidOperationException)
        {
            // It exited while we looked.
            return true;
        }
    }

    private static DateTimeOffset StartTime(Process process) => new DateTimeOffset(process.StartTime).ToUniversalTime();
}
