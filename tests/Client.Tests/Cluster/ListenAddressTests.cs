using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>What a silo listens on (issue 18.3), read from the kernel's own socket tables.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ListenAddressTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_listens_only_on_its_address_unless_told_to_listen_on_every_interface()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var (siloPort, gatewayPort) = (ClusterKit.NextPort(), ClusterKit.NextPort());
        var silo = kit.Start("loopback", "silo", "--cluster", kit.Cluster, "--slots", "1", "--name", "loopback", "--address", "127.0.0.1",
            "--port", Text(siloPort), "--gateway-port", Text(gatewayPort));
        await silo.WaitForOutputAsync("joined", ClusterKit.Patience);
        Assert.Equal([IPAddress.Loopback], Listeners(siloPort));
        Assert.Equal([IPAddress.Loopback], Listeners(gatewayPort));

        var (anyPort, anyGateway) = (ClusterKit.NextPort(), ClusterKit.NextPort());
        var open = kit.Start("any", "silo", "--cluster", kit.Cluster, "--slots", "1", "--name", "any", "--address", "127.0.0.1",
            "--listen", "0.0.0.0", "--port", Text(anyPort), "--gateway-port", Text(anyGateway));
        await open.WaitForOutputAsync("joined", ClusterKit.Patience);
        Assert.Equal([IPAddress.Any], Listeners(anyPort));
        Assert.Equal([IPAddress.Any], Listeners(anyGateway));
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The local addresses of IPv4 sockets in LISTEN state on <paramref name="port"/>, from /proc/net/tcp (and dual-stack ones from tcp6).</summary>
    private static IReadOnlyList<IPAddress> Listeners(int port)
    {
        var found = new List<IPAddress>();
        foreach (var (file, bytes) in new[] { ("/proc/net/tcp", 4), ("/proc/net/tcp6", 16) })
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1].Split(':');
                if (fields[3] != "0A" || int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port) continue;
                var raw = Convert.FromHexString(local[0]);
                // The kernel prints each 32-bit word in host (little-endian) order.
                for (var i = 0; i < raw.Length; i += 4) Array.Reverse(raw, i, 4);
                var address = new IPAddress(raw);
                found.Add(bytes == 16 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address.Equals(IPAddress.IPv6Any) ? IPAddress.Any : address);
            }

        return found;
    }
}
