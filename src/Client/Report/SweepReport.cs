using VaeSweep.Client.Ranking;
using VaeSweep.Client.Store;
using VaeSweep.Model;

namespace VaeSweep.Client.Report;

/// <summary>
/// Everything the report page shows about one sweep, read from the database (and, for images, the dataset and
/// the stored final weights). Built by <see cref="ReportBuilder"/>, drawn by <see cref="HtmlReport"/>.
/// </summary>
/// <param name="Ranking">Exactly what <c>top</c> ranks (finished trials, best first), then every other trial unranked.</param>
/// <param name="Trials">Every trial of the sweep by id.</param>
/// <param name="Curves">Each trial's recorded epochs in order (empty before its first).</param>
/// <param name="Highlighted">The best trials, best first, drawn in colour on the learning curves and shown as images.</param>
/// <param name="ReportEngine">The engine that ran the decoders for this page.</param>
public sealed record SweepReport(
    SweepRecord Sweep,
    DateTimeOffset GeneratedAt,
    string ReportEngine,
    IReadOnlyList<RankedTrial> Ranking,
    IReadOnlyDictionary<string, TrialRecord> Trials,
    IReadOnlyList<SweptParameter> Swept,
    IReadOnlyDictionary<string, IReadOnlyList<EpochMetrics>> Curves,
    IReadOnlyList<string> Highlighted,
    IReadOnlyList<ParameterEffect> Effects,
    IReadOnlyList<HeatMapGrid> HeatMaps,
    IReadOnlyList<TrialVisuals> Visuals,
    LatentScatter? Latent2,
    string? Latent2Note,
    SweepTimings Timings,
    ReportAnalysis? Analysis = null)
{
    /// <summary>How many trials are in each status, in the order statuses first appear in the ranking.</summary>
    public IReadOnlyList<(string Status, int Trials)> StatusCounts =>
        Ranking.GroupBy(r => r.Status).Select(g => (g.Key, g.Count())).ToList();

    /// <summary>Engine descriptors that trained the sweep's trials, with how many trials each ("unrecorded" for none).</summary>
    public IReadOnlyList<(string Engine, int Trials)> Engines =>
        Trials.Values.GroupBy(t => t.Engine ?? "unrecorded").OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count())).ToList();
}
