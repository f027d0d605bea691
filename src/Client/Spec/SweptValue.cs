namespace VaeSweep.Client.Spec;

/// <summary>The value a trial has for one swept parameter, for display (tables, rankings).</summary>
/// <param name="Name">The parameter's spec name (latent, sigma, lr, hidden...).</param>
/// <param name="Value">int, double, the engine enum, or IReadOnlyList&lt;int&gt; for hidden.</param>
/// <param name="Text">Invariant text: "20", "0.001", "relu", "[512, 256]".</param>
public sealed record SweptValue(string Name, object Value, string Text)
{
    public override string ToString() => $"{Name}={Text}";
}
