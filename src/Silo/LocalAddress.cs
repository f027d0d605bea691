using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace VaeSweep.Silo;

/// <summary>The address a silo advertises when none is given: this machine's first up, non-loopback IPv4 address.</summary>
public static class LocalAddress
{
    /// <exception cref="ClusterException">The machine has no such address; pass --address.</exception>
    public static IPAddress FirstNonLoopback() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new ClusterException(ClusterProblem.Unreachable, "this machine has no non-loopback IPv4 address to advertise; pass --address");
}
