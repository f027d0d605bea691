using Microsoft.Extensions.Hosting;

namespace VaeSweep.Silo;

/// <summary>Stops and disposes a host when the runner that uses it is disposed.</summary>
internal sealed class HostOwner(IHost host) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            host.Dispose();
        }
    }
}
