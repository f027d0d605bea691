namespace VaeSweep.Client.Spec;

/// <summary>One problem in a spec, at a 1-based line and column of <paramref name="File"/>.</summary>
/// <param name="Message">Starts with the spec location it concerns, e.g. "sweep.parameters.sigma[1]: must be a positive number, got -0.3".</param>
public sealed record SpecError(string File, int Line, int Column, string Message)
{
    /// <summary>The compiler-style form "file:line:column: message" that editors can jump to.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
