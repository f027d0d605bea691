using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Search;

/// <summary>How a proposal was made.</summary>
public enum ProposalKind
{
    /// <summary>One of the startup trials: the random search's draws of the same spec and seed.</summary>
    Startup,
    /// <summary>The TPE's choice.</summary>
    Model,
    /// <summary>A random draw, because the TPE's candidates had all been tried already (a small discrete space).</summary>
    Fallback,
}

/// <summary>The trial proposed for one index of an adaptive sweep.</summary>
public sealed record TrialProposal(ResolvedTrial Trial, ProposalKind Kind);
