namespace VaeSweep.Client.Report;

/// <summary>Held-out log-likelihood of each finished trial against one swept parameter.</summary>
public sealed record ParameterEffect(SweptParameter Parameter, IReadOnlyList<EffectPoint> Points);

/// <param name="X">The value's position on the axis (<see cref="SweptParameter.Position"/>).</param>
/// <param name="Ll">Held-out (validation) log-likelihood, nats per example.</param>
/// <param name="Se">Its standard error over examples.</param>
public sealed record EffectPoint(string TrialId, ParameterValue Value, double X, double Ll, double Se);
