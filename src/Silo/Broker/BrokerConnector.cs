using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// Opens the one connection a client or silo keeps: recovering by itself after the broker comes back
/// (topology and consumers included), but failing the first attempt fast and in plain words.
/// </summary>
internal static class BrokerConnector
{
    /// <summary>Dead peers are noticed within about two of these even without traffic.</summary>
    private static readonly TimeSpan AmqpHeartbeat = TimeSpan.FromSeconds(10);

    public static ConnectionFactory CreateFactory(BrokerOptions options)
    {
        options.Validate();
        var factory = new ConnectionFactory
        {
            // Sets host, port, vhost, credentials and, for amqps, TLS with the host as server name.
            Uri = new Uri(options.Uri),
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = options.RetryInterval,
            RequestedConnectionTimeout = options.ConnectTimeout,
            HandshakeContinuationTimeout = options.ConnectTimeout,
            RequestedHeartbeat = AmqpHeartbeat,
        };
        if (string.IsNullOrEmpty(new Uri(options.Uri).UserInfo))
        {
            if (options.UserName is { } user) factory.UserName = user;
            if (options.Password is { } password) factory.Password = password;
        }

        return factory;
    }

    /// <exception cref="BrokerConnectionException">Unreachable, refused credentials, or no handshake within the timeout.</exception>
    public static async Task<IConnection> ConnectAsync(BrokerOptions options, string clientName, ILogger logger, CancellationToken cancellationToken)
    {
        var factory = CreateFactory(options);
        var where = BrokerAddress.Endpoint(options.Uri);
        // A guard above the library's own timeouts: a half-open socket must not hang the first connect.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(3 * options.ConnectTimeout);
        try
        {
            var connection = await factory.CreateConnectionAsync(clientName, limit.Token);
            logger.LogInformation("Connected to the broker at {Broker} as {Client}", BrokerAddress.Redact(options.Uri), clientName);
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerConnectionException($"the broker at {where} did not complete the connection within {3 * options.ConnectTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Explain(ex, factory, options);
        }
    }

    /// <summary>
    /// Runs the declarations a process makes once connected; a refusal (missing permissions, a queue declared
    /// differently by another version) becomes a <see cref="BrokerConnectionException"/> that says so.
    /// </summary>
    public static async Task SetUpAsync(BrokerOptions options, Func<Task> declare)
    {
        try
        {
            await declare();
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason is { } reason)
        {
            throw new BrokerConnectionException(
                $"the broker at {BrokerAddress.Endpoint(options.Uri)} refused to set up the '{options.Prefix}' queues: {reason.ReplyText}", ex);
        }
    }

    private static BrokerConnectionException Explain(Exception ex, ConnectionFactory factory, BrokerOptions options)
    {
        var where = BrokerAddress.Endpoint(options.Uri);
        if (Find<AuthenticationFailureException>(ex) is { } refused)
            return new BrokerConnectionException($"broker refused the credentials for user {factory.UserName} at {where}", refused);
        if (Find<PossibleAuthenticationFailureException>(ex) is { } possible)
            return new BrokerConnectionException(
                $"broker at {where} closed the connection during login: check the credentials for user {factory.UserName} and the virtual host '{factory.VirtualHost}'", possible);

        var innermost = ex;
        while (innermost.InnerException is { } inner) innermost = inner;
        var reason = BrokerAddress.Scrub(innermost.Message, factory.Password);
        return new BrokerConnectionException($"cannot reach the broker at {BrokerAddress.Redact(options.Uri)}: {reason}", ex);
    }

    private static T? Find<T>(Exception ex) where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions)
                    if (Find<T>(inner) is { } nested) return nested;
        }

        return null;
    }
}
