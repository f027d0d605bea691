using VaeSweep.Silo.Broker;

namespace VaeSweep.Silo.Tests.Broker;

public sealed class BrokerOptionsTests
{
    [Theory]
    [InlineData("amqp://alice:s3cret@rabbit.lan:5672/prod", "amqp://***@rabbit.lan:5672/prod")]
    [InlineData("amqps://alice:s3cret@rabbit.lan/", "amqps://***@rabbit.lan/")]
    [InlineData("amqp://rabbit.lan/", "amqp://rabbit.lan/")]
    [InlineData("not a uri alice:s3cret@rabbit", "***@rabbit")]
    public void Redaction_removes_the_user_info(string uri, string redacted)
        => Assert.Equal(redacted, BrokerAddress.Redact(uri));

    [Theory]
    [InlineData("amqp://u:p@h/", "h:5672")]
    [InlineData("amqps://u:p@h/", "h:5671")]
    [InlineData("amqp://h:1234/", "h:1234")]
    public void The_endpoint_is_host_and_port_with_the_scheme_default(string uri, string endpoint)
        => Assert.Equal(endpoint, BrokerAddress.Endpoint(uri));

    [Fact]
    public void Defaults_are_valid_and_printing_options_hides_the_password()
    {
        var options = new BrokerOptions { Uri = "amqp://alice:s3cret@h/" };
        options.Validate();

        Assert.Equal(TimeSpan.FromSeconds(12), options.Lease);
        Assert.Equal(TimeSpan.FromSeconds(2), options.HeartbeatInterval);
        Assert.DoesNotContain("s3cret", options.ToString());
        Assert.DoesNotContain("s3cret", (options with { Password = "s3cret" }).ToString());
    }

    [Theory]
    [InlineData("http://h/", "Uri", "not an amqp:// or amqps:// URI")]
    [InlineData("amqp://h/", "Prefix", "prefix: 'bad prefix'")]
    public void Bad_settings_are_named(string uri, string field, string message)
    {
        var options = new BrokerOptions { Uri = uri } with { Prefix = field == "Prefix" ? "bad prefix" : "ok" };
        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(field, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_lease_shorter_than_three_heartbeats_is_refused()
    {
        var options = new BrokerOptions { Uri = "amqp://h/", Lease = TimeSpan.FromSeconds(5) };
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal("Lease", error.ParamName);
    }

    [Fact]
    public void A_sweep_too_long_for_a_queue_name_is_refused_naming_the_sweep()
    {
        var sweep = new string('s', 300);
        var error = Assert.Throws<ArgumentException>(() => new Topology("vaesweep").ValidateSweep(sweep));
        Assert.Contains("longer than the broker's 255 bytes", error.Message);
    }
}
