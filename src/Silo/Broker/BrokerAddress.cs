namespace VaeSweep.Silo.Broker;

/// <summary>The broker's address as it may appear in a log or an error: never with its credentials.</summary>
public static class BrokerAddress
{
    /// <summary>
    /// The URI with its user-info replaced by "***" (amqp://***@host:5672/vhost). Text that does not parse
    /// as a URI is cut at its last '@', since it may still hold a password.
    /// </summary>
    public static string Redact(string uri)
    {
        if (System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            if (string.IsNullOrEmpty(parsed.UserInfo)) return parsed.ToString();
            var builder = new UriBuilder(parsed) { UserName = "***", Password = "" };
            return builder.Uri.ToString();
        }

        var at = uri.LastIndexOf('@');
        return at < 0 ? uri : "***" + uri[at..];
    }

    /// <summary>"host:port" of a URI, for messages that name the endpoint.</summary>
    public static string Endpoint(string uri)
    {
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed)) return Redact(uri);
        var port = parsed.IsDefaultPort || parsed.Port < 0 ? (parsed.Scheme == "amqps" ? 5671 : 5672) : parsed.Port;
        return $"{parsed.Host}:{port}";
    }

    /// <summary>Removes <paramref name="secret"/> from <paramref name="text"/> (exception messages of a library we do not control).</summary>
    public static string Scrub(string text, string? secret)
        => string.IsNullOrEmpty(secret) ? text : text.Replace(secret, "***", StringComparison.Ordinal);
}
