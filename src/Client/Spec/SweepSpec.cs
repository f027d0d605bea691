using VaeSweep.Client.Ranking;
using VaeSweep.Model;

namespace VaeSweep.Client.Spec;

/// <summary>A parsed, validated sweep spec. Its trials were expanded and checked during parsing.</summary>
public sealed class SweepSpec
{
    private readonly IReadOnlyList<ResolvedTrial> _trials;

    internal SweepSpec(
        string name, string? description, string fileName, string text, DatasetSpec dataset, TrialConfig baseConfig,
        SweepStrategy strategy, int? seed, IReadOnlyList<string> sweptParameters, IReadOnlyList<ResolvedTrial> trials,
        ScheduleSpec schedule, Search.ITrialProposer? proposer = null)
    {
        Proposer = proposer;
        Schedule = schedule;
        Name = name;
        Description = description;
        FileName = fileName;
        Text = text;
        Sha256 = TrialIdentity.Sha256Hex(text);
        Dataset = dataset;
        BaseConfig = baseConfig;
        Strategy = strategy;
        Seed = seed;
        SweptParameters = sweptParameters;
        _trials = Array.AsReadOnly(trials.ToArray());
    }

    /// <summary>The sweep's name: letters, digits, '.', '_' and '-'.</summary>
    public string Name { get; }

    public string? Description { get; }

    /// <summary>The file name given to the parser, as used in error messages.</summary>
    public string FileName { get; }

    /// <summary>The spec text exactly as parsed; the store records it with <see cref="Sha256"/>.</summary>
    public string Text { get; }

    /// <summary>SHA-256 (lower-case hex) of the UTF-8 bytes of <see cref="Text"/>.</summary>
    public string Sha256 { get; }

    public DatasetSpec Dataset { get; }

    /// <summary>The model, train and eval sections over <see cref="TrialConfig"/>'s defaults, before the sweep.</summary>
    public TrialConfig BaseConfig { get; }

    public SweepStrategy Strategy { get; }

    /// <summary>The seed of a random or tpe sweep (default 0); null for grid and list.</summary>
    public int? Seed { get; }

    /// <summary>Names of the swept parameters in spec order (the columns of <see cref="ResolvedTrial.Swept"/>).</summary>
    public IReadOnlyList<string> SweptParameters { get; }

    /// <summary>Early stopping (the schedule section); <see cref="ScheduleSpec.None"/> when the spec has none.</summary>
    public ScheduleSpec Schedule { get; }

    /// <summary>What ranking and adaptive strategies optimise (<c>sweep.objective</c>); held-out log-likelihood by default.</summary>
    public Objective Objective { get; init; } = Objective.Default;

    public int TrialCount => _trials.Count;

    /// <summary>
    /// For an adaptive strategy (tpe), what proposes the trials after <see cref="Expand"/>'s startup trials, from the
    /// results so far; its <see cref="Search.ITrialProposer.Trials"/> is the sweep's full size. Null for grid, random, list.
    /// </summary>
    public Search.ITrialProposer? Proposer { get; }

    /// <summary>
    /// Every trial, deterministic: grid in odometer order (file order, last parameter fastest), random in draw
    /// order, list in file order; for tpe, the startup trials (random search's first draws with the same seed).
    /// Ids are distinct. Never more than <see cref="SpecParserOptions.MaxTrials"/>.
    /// </summary>
    public IReadOnlyList<ResolvedTrial> Expand() => _trials;
}
