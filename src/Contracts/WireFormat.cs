using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using VaeSweep.Model;

namespace VaeSweep.Contracts;

/// <summary>
/// How the contracts travel, configured alike by every silo and client. The contracts carry Orleans'
/// generated serializers; the engine's records inside them (config, metrics, estimates) travel as JSON,
/// because the engine knows nothing of transport and so carries no serializer attributes. Doubles
/// round-trip exactly; NaN is allowed.
/// </summary>
public static class WireFormat
{
    public static IServiceCollection AddVaeSweepSerialization(this IServiceCollection services) =>
        services.AddSerializer(s => s.AddJsonSerializer(
            isSupported: t => t.Namespace == typeof(TrialConfig).Namespace,
            jsonSerializerOptions: new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
}
