using System.Net.Sockets;
using System.Text;

namespace VaeSweep.Silo;

/// <summary>
/// One PING before Orleans starts, so an unreachable Redis is a clear error within seconds rather than a
/// long retry loop inside the membership provider.
/// </summary>
internal static class RedisProbe
{
    /// <exception cref="ClusterException">Redis did not answer PONG within <paramref name="timeout"/>.</exception>
    public static async Task PingAsync(ClusterAddress address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(address.Host, address.Port, deadline.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), deadline.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, deadline.Token);
            var reply = Encoding.ASCII.GetString(buffer, 0, read).TrimEnd();
            if (reply != "+PONG")
                throw new ClusterException(ClusterProblem.Unreachable, $"{address}: Redis answered PING with '{reply}' (authentication is not supported)");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClusterException(ClusterProblem.Unreachable, $"{address}: Redis did not answer within {timeout.TotalSeconds:0} s");
        }
        catch (SocketException e)
        {
            throw new ClusterException(ClusterProblem.Unreachable, $"{address}: cannot reach Redis: {e.Message}", e);
        }
    }
}
