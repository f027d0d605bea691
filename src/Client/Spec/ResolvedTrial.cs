using VaeSweep.Model;

namespace VaeSweep.Client.Spec;

/// <summary>One fully resolved trial of a sweep: what to train, on what data, and its identity.</summary>
public sealed class ResolvedTrial
{
    private ResolvedTrial(TrialConfig config, DatasetSpec dataset, string canonicalJson, IReadOnlyList<SweptValue> swept)
    {
        Config = config;
        Dataset = dataset;
        CanonicalJson = canonicalJson;
        Id = TrialIdentity.Sha256Hex(canonicalJson);
        Swept = swept;
    }

    /// <summary>SHA-256 hex (64 characters) of <see cref="CanonicalJson"/>; store this one.</summary>
    public string Id { get; }

    /// <summary>The first <see cref="TrialIdentity.ShortLength"/> characters of <see cref="Id"/>, for people.</summary>
    public string ShortId => TrialIdentity.Short(Id);

    public TrialConfig Config { get; }

    public DatasetSpec Dataset { get; }

    /// <summary>See <see cref="CanonicalTrialJson"/>; <see cref="FromCanonicalJson"/> turns it back into a trial.</summary>
    public string CanonicalJson { get; }

    /// <summary>This trial's values of the swept parameters, in the spec's order; empty when nothing is swept.</summary>
    public IReadOnlyList<SweptValue> Swept { get; }

    /// <exception cref="ArgumentException">The config or dataset does not validate.</exception>
    public static ResolvedTrial Create(TrialConfig config, DatasetSpec dataset, IReadOnlyList<SweptValue>? swept = null) =>
        new(config, dataset, CanonicalTrialJson.Write(config, dataset), swept ?? []);

    /// <summary>Rebuilds a stored trial (for <c>reproduce</c>); its <see cref="Id"/> equals the stored id when the JSON is canonical.</summary>
    /// <exception cref="FormatException">Not the canonical JSON of a valid trial.</exception>
    public static ResolvedTrial FromCanonicalJson(string canonicalJson)
    {
        var (config, dataset) = CanonicalTrialJson.Read(canonicalJson);
        return Create(config, dataset);
    }

    public override string ToString() =>
        Swept.Count == 0 ? ShortId : $"{ShortId} ({string.Join(", ", Swept)})";
}
