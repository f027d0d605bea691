using System.Text.Json;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Store;
using static VaeSweep.Client.Tests.Ranking.RankingFixtures;

namespace VaeSweep.Client.Tests.Ranking;

public class FormatterTests
{
    private static readonly string[] ExpectedFields =
    [
        "trial", "sweep", "status", "latent", "sigma", "beta", "lr", "heldout_ll", "heldout_ll_se", "test_ll",
        "elbo", "kl", "recon", "epochs", "seconds", "rank", "distinguishable", "diff", "diff_se", "paired",
        "active_units", "rate", "distortion", "ll_elbo_gap", "objective", "feasible", "pareto",
        "attempts", "started_attempts",
    ];

    private static QueryResult Ranking() => RankingTable.ToQueryResult(Ranker.Rank(
        [
            Result("best", 0, Estimate(Hardness), Estimate(Hardness, "test")),
            Result("worse", 1, Estimate(SlightlyWorse)),
            Result("pending", 2, null, status: TrialStatus.Pending),
        ],
        new RankingOptions { IncludeUnfinished = true }));

    [Fact]
    public void JsonIsAnArrayOfObjectsWithSnakeCaseFieldsAndTypedValues()
    {
        using var doc = JsonDocument.Parse(ResultFormatter.Format(Ranking(), OutputFormat.Json));
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
            Assert.Equal(ExpectedFields, row.EnumerateObject().Select(p => p.Name));

        var worse = rows[1];
        Assert.Equal("worse", worse.GetProperty("trial").GetString());
        Assert.Equal(2, worse.GetProperty("rank").GetInt32());
        Assert.Equal(20, worse.GetProperty("latent").GetInt32());
        Assert.Equal(0.001, worse.GetProperty("lr").GetDouble());
        Assert.Equal(SlightlyWorse.Average(), worse.GetProperty("heldout_ll").GetDouble()); // exact round trip
        Assert.Equal(1.1, worse.GetProperty("diff").GetDouble(), 12);
        Assert.Equal(JsonValueKind.True, worse.GetProperty("distinguishable").ValueKind);
        Assert.Equal(JsonValueKind.True, worse.GetProperty("paired").ValueKind);
        Assert.Equal(JsonValueKind.Null, worse.GetProperty("test_ll").ValueKind);

        var pending = rows[2];
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("rank").ValueKind);
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("heldout_ll").ValueKind);
        Assert.Equal("pending", pending.GetProperty("status").GetString());
    }

    [Fact]
    public void JsonWritesNonFiniteNumbersAsStringsAndBlobsAsBase64()
    {
        var result = new QueryResult(["x", "y", "z"], [new object?[] { double.NaN, double.NegativeInfinity, new byte[] { 1, 2, 3 } }]);
        using var doc = JsonDocument.Parse(ResultFormatter.Format(result, OutputFormat.Json));
        var row = doc.RootElement[0];
        Assert.Equal("NaN", row.GetProperty("x").GetString());
        Assert.Equal("-Infinity", row.GetProperty("y").GetString());
        Assert.Equal("AQID", row.GetProperty("z").GetString());
    }

    [Fact]
    public void JsonKeepsTextReadable()
    {
        var json = ResultFormatter.Format(new QueryResult(["error"], [new object?[] { "σ < 0 isn't \"valid\"" }]), OutputFormat.Json);
        Assert.Contains("σ < 0 isn't \\\"valid\\\"", json);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("σ < 0 isn't \"valid\"", doc.RootElement[0].GetProperty("error").GetString());
    }

    [Fact]
    public void CsvHasTheHeaderThenRowsWithInvariantNumbers()
    {
        var csv = ResultFormatter.Format(Ranking(), OutputFormat.Csv);
        var lines = csv.Split("\r\n");
        Assert.Equal(string.Join(',', ExpectedFields), lines[0]);
        Assert.Equal(5, lines.Length); // header, three rows, and the empty remainder after the last CRLF
        Assert.Equal("", lines[4]);
        var worse = lines[2].Split(',');
        Assert.Equal("worse", worse[0]);
        Assert.Equal("0.001", worse[6]);
        Assert.Equal(SlightlyWorse.Average(), double.Parse(worse[7], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(("2", "true", "true"), (worse[15], worse[16], worse[19]));
        Assert.Equal("", worse[9]); // no test estimate: empty field
    }

    [Fact]
    public void CsvQuotesFieldsPerRfc4180()
    {
        var result = new QueryResult(["plain", "has,comma", "quote"],
        [
            new object?[] { "a", "b,c", "say \"hi\"" },
            new object?[] { "line1\nline2", null, 1.5 },
        ]);
        Assert.Equal(
            "plain,\"has,comma\",quote\r\n" +
            "a,\"b,c\",\"say \"\"hi\"\"\"\r\n" +
            "\"line1\nline2\",,1.5\r\n",
            ResultFormatter.Format(result, OutputFormat.Csv));
    }

    [Fact]
    public void TableAlignsNumbersRightAndTextLeft()
    {
        var result = new QueryResult(["name", "value", "flag"],
        [
            new object?[] { "a", -102.3456789, true },
            new object?[] { "longer", 0.5, null },
        ]);
        Assert.Equal(
            "name       value  flag\n" +
            "------  --------  ----\n" +
            "a       -102.346  true\n" +
            "longer       0.5\n",
            ResultFormatter.Format(result, OutputFormat.Table));
    }

    [Fact]
    public void TableSummarisesBlobsAndNotesTruncation()
    {
        var result = new QueryResult(["b"], [new object?[] { new byte[16] }], Truncated: true);
        Assert.Equal("b\n---------------\n<blob 16 bytes>\n(more rows not shown)\n", ResultFormatter.Format(result, OutputFormat.Table));
    }

    [Fact]
    public void FormatNamesAreParsed()
    {
        Assert.Equal(OutputFormat.Csv, ResultFormatter.ParseFormat(" CSV "));
        Assert.Contains("expected table, json or csv, got 'xml'", Assert.Throws<ArgumentException>(() => ResultFormatter.ParseFormat("xml")).Message);
    }
}
