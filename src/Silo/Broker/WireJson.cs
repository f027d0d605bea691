using System.Text.Json;
using System.Text.Json.Serialization;
using RabbitMQ.Client;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// The one JSON dialect on the wire, and the type/version stamp every message carries, so that both
/// ends of a queue agree byte for byte and a reader can refuse what it does not understand.
/// </summary>
internal static class WireJson
{
    // Read-only once built, so sharing it is sharing a constant.
    private static readonly JsonSerializerOptions Options = Create();

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <exception cref="JsonException">The body is not a <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(ReadOnlyMemory<byte> body)
        => JsonSerializer.Deserialize<T>(body.Span, Options) ?? throw new JsonException($"expected a {typeof(T).Name}, got null");

    /// <summary>Properties of a message of <paramref name="type"/>; persistent ones survive a broker restart.</summary>
    public static BasicProperties Properties(string type, bool persistent, string? messageId = null) => new()
    {
        Type = type,
        ContentType = "application/json",
        DeliveryMode = persistent ? DeliveryModes.Persistent : DeliveryModes.Transient,
        MessageId = messageId,
        Headers = new Dictionary<string, object?> { [Topology.VersionHeader] = Topology.Version },
    };

    /// <summary>Null when the message is of <paramref name="type"/> and this version; otherwise why not.</summary>
    public static string? Mismatch(IReadOnlyBasicProperties properties, string type)
    {
        if (properties.Type != type) return $"type '{properties.Type}' where '{type}' was expected";
        if (properties.Headers is null || !properties.Headers.TryGetValue(Topology.VersionHeader, out var raw) || raw is null)
            return $"no {Topology.VersionHeader} header";
        var version = raw switch
        {
            int i => i,
            long l => l,
            byte[] bytes when long.TryParse(System.Text.Encoding.UTF8.GetString(bytes), out var parsed) => parsed,
            _ => -1,
        };
        return version == Topology.Version ? null : $"version {version} where this build speaks {Topology.Version}";
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // Metrics of a diverging epoch may be NaN or infinite.
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            AllowOutOfOrderMetadataProperties = true,
            Converters = { new JsonStringEnumConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
