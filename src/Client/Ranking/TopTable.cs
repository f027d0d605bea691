using VaeSweep.Client.Report;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// What <c>top</c> prints: the ranking as people read it in a terminal. The columns are the sweep's swept
/// parameters (whatever they are: activation, batch_size, arch, ...) and the ranking numbers at sensible precision,
/// kept within a width by leaving out the least useful columns first; <c>--wide</c> shows every field. JSON and CSV
/// use <see cref="Exact"/> instead: every field at full precision.
/// </summary>
public static class TopTable
{
    /// <summary>The default width limit: fits a split terminal or an 80–120 column window.</summary>
    public const int DefaultWidth = 120;

    private sealed record Column(string Header, Func<RankedTrial, object?> Cell, int DropOrder);

    /// <summary>The table for a terminal, and the headers it left out to stay within <paramref name="width"/>.</summary>
    public static (QueryResult Table, IReadOnlyList<string> Hidden) Shown(IReadOnlyList<RankedTrial> rows, IReadOnlyList<SweptParameter> swept, bool wide, int width = DefaultWidth)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(swept);
        var columns = ShownColumns(rows, swept, wide);
        var hidden = new List<string>();
        var table = Build(columns, rows);
        // Drop optional columns, lowest value first, until the table fits; required ones (DropOrder 0) always stay.
        foreach (var drop in columns.Where(c => c.DropOrder > 0).OrderBy(c => c.DropOrder).ToList())
        {
            if (wide || Width(table) <= width) break;
            columns.Remove(drop);
            hidden.Add(drop.Header);
            table = Build(columns, rows);
        }
        return (table, hidden);
    }

    /// <summary>Every ranking field at full precision, plus each swept parameter not among them (for JSON and CSV).</summary>
    public static QueryResult Exact(IReadOnlyList<RankedTrial> rows, IReadOnlyList<SweptParameter> swept)
    {
        var fixedColumns = RankingTable.ToQueryResult(rows);
        var extra = swept.Where(p => !RankingTable.Columns.Contains(p.Name)).ToList();
        if (extra.Count == 0) return fixedColumns;
        var columns = fixedColumns.Columns.Concat(extra.Select(p => p.Name)).ToList();
        var body = rows.Select((r, i) => (IReadOnlyList<object?>)fixedColumns.Rows[i].Concat(extra.Select(p => ExactValue(p, r.Trial))).ToList()).ToList();
        return new QueryResult(columns, body, fixedColumns.Truncated);
    }

    private static List<Column> ShownColumns(IReadOnlyList<RankedTrial> rows, IReadOnlyList<SweptParameter> swept, bool wide)
    {
        var columns = new List<Column>
        {
            new("rank", r => (long?)r.Rank, 0),
            new("trial", r => TrialIdentity.Short(r.Trial), 0),
        };
        columns.AddRange(swept.Select(p => new Column(p.Name, r => ShownValue(p, r.Trial), 0)));
        if (wide || rows.Any(r => r.Status != "finished")) columns.Add(new("status", r => r.Status, 0));
        columns.Add(new("heldout_ll", r => Nats(r.HeldoutLl), 0));
        columns.Add(new("±se", r => Nats(r.HeldoutLlSe), 0));
        columns.Add(new("diff", r => Nats(r.Diff), 5));
        columns.Add(new("differs", r => r.Distinguishable switch { true => "yes", false => "no", null => null }, 4));
        columns.Add(new("test_ll", r => Nats(r.TestLl), 3));
        columns.Add(new("epochs", r => (long)r.Epochs, 2));
        columns.Add(new("seconds", r => r.Seconds is { } s ? ShownNumber.Seconds(s) : null, 1));
        if (!wide) return columns;

        // --wide: the fixed configuration columns too (when not swept), and the rest of what JSON holds.
        var sweptNames = swept.Select(p => p.Name).ToHashSet();
        if (!sweptNames.Contains("latent")) columns.Add(new("latent", r => (long)r.Latent, 0));
        if (!sweptNames.Contains("sigma")) columns.Add(new("sigma", r => ShownNumber.Parameter(r.Sigma, scientific: false), 0));
        if (!sweptNames.Contains("beta")) columns.Add(new("beta", r => ShownNumber.Parameter(r.Beta, scientific: false), 0));
        if (!sweptNames.Contains("lr")) columns.Add(new("lr", r => ShownNumber.Parameter(r.Lr, scientific: true), 0));
        columns.Add(new("elbo", r => Nats(r.Elbo), 0));
        columns.Add(new("kl", r => Nats(r.Kl), 0));
        columns.Add(new("recon", r => Nats(r.Recon), 0));
        columns.Add(new("diff_se", r => Nats(r.DiffSe), 0));
        columns.Add(new("paired", r => r.Paired switch { true => "yes", false => "no", null => null }, 0));
        columns.Add(new("sweep", r => r.Sweep, 0));
        return columns;
    }

    private static object? ShownValue(SweptParameter parameter, string trial)
    {
        if (!parameter.Values.TryGetValue(trial, out var value)) return null;
        return value.Number is null ? value.Text : new ShownNumber(parameter.Shown(value));
    }

    private static object? ExactValue(SweptParameter parameter, string trial)
    {
        if (!parameter.Values.TryGetValue(trial, out var value)) return null;
        if (value.Number is not { } number) return value.Text;
        return number == Math.Floor(number) && Math.Abs(number) < long.MaxValue && !value.Text.Contains('.') ? (long)number : number;
    }

    private static ShownNumber? Nats(double? value) => value is { } v ? ShownNumber.Nats(v) : null;

    private static QueryResult Build(List<Column> columns, IReadOnlyList<RankedTrial> rows) =>
        new(columns.Select(c => c.Header).ToList(), rows.Select(r => (IReadOnlyList<object?>)columns.Select(c => c.Cell(r)).ToList()).ToList());

    private static int Width(QueryResult table) =>
        PlainTable.Format(table).Split('\n').Max(line => line.Length);
}
