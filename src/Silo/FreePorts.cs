using System.Net;
using System.Net.Sockets;

namespace VaeSweep.Silo;

/// <summary>Ports nothing listens on now, for silos that need not be found at a known port (the embedded one, tests).</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
