using System.Diagnostics.CodeAnalysis;

namespace VaeSweep.Client.Spec;

/// <summary>Either a valid, fully expanded <see cref="SweepSpec"/> or every error found in the text.</summary>
public sealed class SpecParseResult
{
    private SpecParseResult(SweepSpec? spec, IReadOnlyList<SpecError> errors)
    {
        Spec = spec;
        Errors = errors;
    }

    /// <summary>The spec; null exactly when <see cref="Errors"/> is non-empty.</summary>
    public SweepSpec? Spec { get; }

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<SpecError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Spec))]
    public bool Success => Spec is not null;

    internal static SpecParseResult Ok(SweepSpec spec) => new(spec, []);

    internal static SpecParseResult Failed(IReadOnlyList<SpecError> errors) =>
        errors.Count > 0 ? new(null, errors) : throw new ArgumentException("a failed parse needs at least one error", nameof(errors));
}
