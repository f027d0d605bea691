using System.Net;
using System.Net.Sockets;
using VaeSweep.Silo.Broker;
using Xunit.Abstractions;

namespace VaeSweep.Silo.Tests.Broker;

/// <summary>
/// A wrong address or password must come back as a plain error, not a hang: each call runs under a
/// generous token, so a hang fails as a cancellation instead of the expected error.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ConnectionErrorTests(ITestOutputHelper output)
{
    private const string Secret = "not-the-password-42";

    [Fact]
    public async Task A_wrong_password_is_named_as_refused_credentials_without_the_password()
    {
        await using var kit = new BrokerTestKit(output);
        var options = kit.Options with { Uri = $"amqp://guest:{Secret}@localhost:5672/" };

        var error = await Assert.ThrowsAsync<BrokerConnectionException>(
            () => BrokerTrialRunner.ConnectAsync(options, "s", kit.Logger, TimeProvider.System, kit.Token));

        Assert.Equal("broker refused the credentials for user guest at localhost:5672", error.Message);
    }

    [Fact]
    public async Task A_silo_with_a_wrong_password_fails_to_start_with_the_same_message()
    {
        await using var kit = new BrokerTestKit(output);
        var options = new BrokerSiloOptions { Broker = kit.Options with { Uri = $"amqp://guest:{Secret}@localhost:5672/" }, Slots = 1, Name = "s" };
        await using var silo = new BrokerSilo(options, () => new GrainScript().Grain("s"), kit.Logger, TimeProvider.System);

        var error = await Assert.ThrowsAsync<BrokerConnectionException>(() => silo.StartAsync(kit.Token));

        Assert.Equal("broker refused the credentials for user guest at localhost:5672", error.Message);
    }

    [Fact]
    public async Task Credentials_from_the_environment_are_used_when_the_uri_has_none()
    {
        await using var kit = new BrokerTestKit(output);
        var variables = new Dictionary<string, string?> { [BrokerOptions.UserVariable] = "guest", [BrokerOptions.PasswordVariable] = Secret };
        var options = BrokerOptions.FromUri("amqp://localhost:5672/", name => variables.GetValueOrDefault(name)) with { Prefix = kit.Options.Prefix };

        var error = await Assert.ThrowsAsync<BrokerConnectionException>(
            () => BrokerTrialRunner.ConnectAsync(options, "s", kit.Logger, TimeProvider.System, kit.Token));

        // Refused, so the environment's wrong password was the one sent (the default guest/guest would work).
        Assert.Equal("broker refused the credentials for user guest at localhost:5672", error.Message);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_reported_unreachable_with_the_address_redacted()
    {
        await using var kit = new BrokerTestKit(output);
        var port = ClosedPort();
        var options = kit.Options with { Uri = $"amqp://guest:{Secret}@localhost:{port}/" };

        var error = await Assert.ThrowsAsync<BrokerConnectionException>(
            () => BrokerTrialRunner.ConnectAsync(options, "s", kit.Logger, TimeProvider.System, kit.Token));

        Assert.StartsWith($"cannot reach the broker at amqp://***@localhost:{port}/: ", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
    }

    [Fact]
    public async Task An_amqps_uri_speaks_tls_so_a_plain_port_fails_the_handshake_instead_of_sending_credentials()
    {
        await using var kit = new BrokerTestKit(output);
        var options = kit.Options with { Uri = $"amqps://guest:{Secret}@localhost:5672/" };

        var error = await Assert.ThrowsAsync<BrokerConnectionException>(
            () => BrokerTrialRunner.ConnectAsync(options, "s", kit.Logger, TimeProvider.System, kit.Token));

        Assert.StartsWith("cannot reach the broker at amqps://***@localhost:5672/: ", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
        var causes = new List<Exception>();
        for (Exception? e = error; e is not null; e = e.InnerException) causes.Add(e);
        Assert.Contains(causes, e => e is System.Security.Authentication.AuthenticationException);
    }

    [Fact]
    public async Task A_queue_declared_differently_by_someone_else_is_reported_as_a_refused_set_up()
    {
        await using var kit = new BrokerTestKit(output);
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(BrokerTestKit.Uri) };
        await using (var connection = await factory.CreateConnectionAsync(kit.Token))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: kit.Token))
            await channel.QueueDeclareAsync(kit.Topology.WorkQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: kit.Token);

        var error = await Assert.ThrowsAsync<BrokerConnectionException>(
            () => BrokerTrialRunner.ConnectAsync(kit.Options, "s", kit.Logger, TimeProvider.System, kit.Token));

        Assert.StartsWith($"the broker at localhost:5672 refused to set up the '{kit.Options.Prefix}' queues: PRECONDITION_FAILED", error.Message);
        Assert.Contains("x-queue-type", error.Message);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
