namespace VaeSweep.Silo;

/// <summary>
/// Where a cluster's membership lives: <c>redis://HOST:PORT[/CLUSTER]</c>. CLUSTER (default <c>vaesweep</c>)
/// names the Orleans cluster, so one Redis can serve several independent clusters.
/// </summary>
public sealed record ClusterAddress(string Host, int Port, string ClusterId)
{
    public const string DefaultClusterId = "vaesweep";

    public string RedisConfiguration => $"{Host}:{Port}";

    /// <exception cref="FormatException">The value is not of that form; the message says what is wrong.</exception>
    public static ClusterAddress Parse(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != "redis")
            throw new FormatException($"--cluster: expected redis://HOST:PORT[/CLUSTER], got '{value}'");
        if (uri.Host.Length == 0) throw new FormatException($"--cluster: no host in '{value}'");
        if (uri.UserInfo.Length > 0) throw new FormatException($"--cluster: credentials in the address are not supported ('{value}')");
        var port = uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Contains('/') || path.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new FormatException($"--cluster: the cluster name '{path}' may hold only letters, digits, '-', '_' and '.'");
        return new ClusterAddress(uri.Host, port, path.Length == 0 ? DefaultClusterId : path);
    }

    public override string ToString() => $"redis://{Host}:{Port}/{ClusterId}";
}
