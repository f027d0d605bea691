using System.Net;

namespace VaeSweep.Silo;

/// <summary>Settings of a worker silo (<c>vaesweep silo</c>), checked once by <see cref="Validate"/>.</summary>
public sealed record WorkerSiloOptions
{
    public required ClusterAddress Cluster { get; init; }

    /// <summary>Trials at once. Default: one per core.</summary>
    public int Slots { get; init; } = Environment.ProcessorCount;

    /// <summary>Reported as the host of its trials. Default: host name and process id, unique per process.</summary>
    public string Name { get; init; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>The address other silos and clients reach this one at. Default: this machine's first non-loopback address.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>
    /// The interface the silo and gateway ports listen on. Default: <see cref="Address"/> only, so nothing else on this
    /// machine's other interfaces reaches them. <see cref="IPAddress.Any"/> (0.0.0.0) listens on every interface, for a
    /// silo behind NAT or in a container whose advertised address is not its own; both ports are unauthenticated.
    /// </summary>
    public IPAddress? Listen { get; init; }

    /// <summary>Silo-to-silo port. Default 11111, Orleans' own.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Port clients connect to. Default 30000, Orleans' own.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Serve the Orleans dashboard on this port, when set.</summary>
    public int? DashboardPort { get; init; }

    /// <summary>Interface the dashboard listens on. Default loopback: it has no authentication.</summary>
    public IPAddress DashboardAddress { get; init; } = IPAddress.Loopback;

    /// <summary>How the silo notices that the membership table lost it, and re-joins.</summary>
    public MembershipWatchOptions Membership { get; init; } = new();

    public void Validate()
    {
        Membership.Validate();
        if (Slots < 1) throw new ArgumentOutOfRangeException(nameof(Slots), Slots, "--slots: must be at least 1");
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("--name: must not be empty", nameof(Name));
        foreach (var (flag, port) in new[] { ("--port", SiloPort), ("--gateway-port", GatewayPort), ("--dashboard", DashboardPort ?? 1) })
            if (port is < 1 or > 65535) throw new ArgumentOutOfRangeException(flag, port, $"{flag}: must be a port number (1-65535), got {port}");
        if (SiloPort == GatewayPort) throw new ArgumentException($"--port and --gateway-port must differ, both are {SiloPort}");
    }
}
