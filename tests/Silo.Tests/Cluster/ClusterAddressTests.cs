namespace VaeSweep.Silo.Tests.Cluster;

public sealed class ClusterAddressTests
{
    [Theory]
    [InlineData("redis://localhost:6379", "localhost", 6379, "vaesweep")]
    [InlineData("redis://10.0.0.5", "10.0.0.5", 6379, "vaesweep")]
    [InlineData("redis://127.0.0.1:7000/lab-a", "127.0.0.1", 7000, "lab-a")]
    public void A_redis_address_names_host_port_and_cluster(string value, string host, int port, string cluster)
    {
        Assert.Equal(new ClusterAddress(host, port, cluster), ClusterAddress.Parse(value));
    }

    [Theory]
    [InlineData("localhost:6379", "expected redis://")]
    [InlineData("amqp://localhost:5672/", "expected redis://")]
    [InlineData("redis://user:pw@localhost:6379", "credentials")]
    [InlineData("redis://localhost:6379/a/b", "cluster name")]
    [InlineData("redis://localhost:6379/a b", "cluster name")]
    [InlineData("redis://localhost:99999", "expected redis://")]
    public void Anything_else_is_refused_saying_what_is_wrong(string value, string message)
    {
        var e = Assert.Throws<FormatException>(() => ClusterAddress.Parse(value));
        Assert.Contains("--cluster", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task An_unreachable_redis_is_a_cluster_error_within_the_probe_timeout()
    {
        var nobody = new ClusterAddress("127.0.0.1", FreePorts.Next(), "t");
        var e = await Assert.ThrowsAsync<ClusterException>(() => RedisProbe.PingAsync(nobody, TimeSpan.FromSeconds(3), CancellationToken.None));
        Assert.Equal(ClusterProblem.Unreachable, e.Problem);
        Assert.Contains(nobody.ToString(), e.Message);
    }
}
