using System.Text.Json;
using VaeSweep.Client.Spec;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Spec;

public sealed class CanonicalTrialJsonTests
{
    private static readonly DatasetSpec Dataset = new("fashion-mnist", "/data/fm ü \"quoted\"", 1234, -7, 2000);

    [Fact]
    public void Keys_are_sorted_at_every_level()
    {
        var json = CanonicalTrialJson.Write(new TrialConfig(), Dataset);

        AssertSorted(JsonDocument.Parse(json).RootElement);
    }

    private static void AssertSorted(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) return;
        var names = e.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        foreach (var p in e.EnumerateObject()) AssertSorted(p.Value);
    }

    [Theory]
    [InlineData(0.1, 0.30000000000000004, 1e-300)]
    [InlineData(5e-324, 1.7976931348623157e308, 0.5)]
    [InlineData(123456.789e10, 0.0, 3.0)]
    public void Doubles_round_trip_exactly(double sigma, double beta, double lr)
    {
        var config = new TrialConfig { Sigma = sigma, Beta = beta, LearningRate = lr };

        var (back, _) = CanonicalTrialJson.Read(CanonicalTrialJson.Write(config, Dataset));

        Assert.Equal(BitConverter.DoubleToInt64Bits(sigma), BitConverter.DoubleToInt64Bits(back.Sigma));
        Assert.Equal(BitConverter.DoubleToInt64Bits(beta), BitConverter.DoubleToInt64Bits(back.Beta));
        Assert.Equal(BitConverter.DoubleToInt64Bits(lr), BitConverter.DoubleToInt64Bits(back.LearningRate));
    }

    [Fact]
    public void Every_field_round_trips()
    {
        var config = new TrialConfig
        {
            Latent = 7, Hidden = [300, 100], Activation = Activation.Softplus, Likelihood = Likelihood.Bernoulli,
            Sigma = 0.25, Beta = 2.5, Binarization = Binarization.Dynamic, LearningRate = 3e-4, Epochs = 12,
            BatchSize = 64, Seed = -3, Threads = 2, ImportanceSamples = 5000, EvalExamples = 0,
        };

        var (back, dataset) = CanonicalTrialJson.Read(CanonicalTrialJson.Write(config, Dataset));

        Assert.Equal(Dataset, dataset);
        Assert.Equal(config.Hidden, back.Hidden);
        Assert.Equal(config, back with { Hidden = config.Hidden });
    }

    [Fact]
    public void Stored_trials_of_every_strategy_rebuild_to_the_same_id()
    {
        foreach (var trial in ExperimentFilesTests.AllTrials())
        {
            var rebuilt = ResolvedTrial.FromCanonicalJson(trial.CanonicalJson);

            Assert.Equal(trial.Id, rebuilt.Id);
            Assert.Equal(trial.CanonicalJson, rebuilt.CanonicalJson);
            Assert.Equal(trial.Dataset, rebuilt.Dataset);
            Assert.Equal(trial.Config, rebuilt.Config with { Hidden = trial.Config.Hidden });
        }
    }

    [Fact]
    public void Key_order_and_whitespace_do_not_matter_when_reading()
    {
        var canonical = CanonicalTrialJson.Write(new TrialConfig(), Dataset);
        using var doc = JsonDocument.Parse(canonical);
        var reordered = "{\n  " + string.Join(",\n  ", doc.RootElement.EnumerateObject().Reverse().Select(p => $"\"{p.Name}\": {p.Value.GetRawText()}")) + "\n}";

        Assert.Equal(canonical, ResolvedTrial.FromCanonicalJson(reordered).CanonicalJson);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "trial JSON: expected an object, got Array")]
    [InlineData("""{"dataset":{}}""", "trial JSON: missing eval, model, train")]
    [InlineData("""{"dataset":{},"eval":{},"model":{},"train":{}}""", "trial JSON: dataset: missing limit, name, path, split_seed, validation")]
    public void Malformed_json_is_rejected_with_a_message(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => CanonicalTrialJson.Read(json));

        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("\"latent\":20", "\"latent\":\"20\"", "model.latent: expected a 32-bit integer")]
    [InlineData("\"latent\":20", "\"latent\":20.5", "model.latent: expected a 32-bit integer")]
    [InlineData("\"sigma\":0.1", "\"sigma\":-0.1", "sigma: must be a positive number, got -0.1")]
    [InlineData("\"activation\":\"relu\"", "\"activation\":\"gelu\"", "model.activation: unknown name 'gelu'")]
    [InlineData("\"threads\":1", "\"threads\":1,\"gpu\":true", "train: unknown key 'gpu'")]
    [InlineData("\"seed\":1,", "", "train: missing seed")]
    [InlineData("\"hidden\":[400]", "\"hidden\":400", "model.hidden: expected an array")]
    public void Wrong_or_invalid_fields_are_rejected_by_name(string find, string replace, string expected)
    {
        var json = CanonicalTrialJson.Write(new TrialConfig(), Dataset);
        Assert.Contains(find, json);

        var e = Assert.Throws<FormatException>(() => CanonicalTrialJson.Read(json.Replace(find, replace)));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Writing_an_invalid_trial_is_refused()
    {
        Assert.Throws<ArgumentException>(() => CanonicalTrialJson.Write(new TrialConfig { Sigma = double.NaN }, Dataset));
        Assert.Throws<ArgumentException>(() => ResolvedTrial.Create(new TrialConfig(), Dataset with { Path = "" }));
    }
}
