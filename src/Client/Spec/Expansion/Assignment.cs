using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>Where a value came from in the spec, so a problem with it can be reported there.</summary>
/// <param name="Path">Dotted spec location, e.g. sweep.parameters.sigma[1] or model.latent.</param>
internal sealed record Origin(string Path, YNode Node);

/// <summary>One parameter set to one value, by the base sections or by the sweep.</summary>
internal sealed record Assignment(SpecParameter Parameter, object Value, Origin Origin);
