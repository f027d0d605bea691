using System.Text;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Model;
using VaeSweep.Model.Data;

namespace VaeSweep.Client.Tests.Spec;

/// <summary>
/// Datasets given as files of numbers: read and hashed at spec time, the hashes in every trial's identity, and every
/// kind of bad data reported as file:line:column at the key that names it, with the file and row in the message.
/// </summary>
public sealed class FileDatasetSpecTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SpecParserOptions Files { get; } = new() { DirectoryExists = _ => true };

    private string Csv(string name, string content)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>20 rows of 4 features and a label in the last column.</summary>
    private string GoodCsv(string name = "table.csv", int offset = 0)
    {
        var text = new StringBuilder("f1,f2,f3,f4,label\n");
        for (var i = 0; i < 20; i++) text.Append($"{i + offset},{i % 3},{-i * 0.5},{i * i % 7},{i % 2}\n");
        return Csv(name, text.ToString());
    }

    private static string Spec(string dataset, string model = "{ hidden: [8], likelihood: gaussian, output: identity }") => $$"""
        name: files
        dataset: {{dataset}}
        model: {{model}}
        train: { epochs: 1 }
        sweep:
          strategy: grid
          parameters:
            latent: [2, 3]
        """;

    [Fact]
    public void A_csv_dataset_is_hashed_into_its_trials_identity()
    {
        var csv = GoodCsv();

        var spec = SpecTesting.Valid(Spec($"{{ train: {csv}, test_fraction: 0.25, labels: last, standardize: true, validation: 3 }}"), Files);
        var trial = spec.Expand()[0];

        Assert.Equal("table", spec.Dataset.Name);
        Assert.Equal(DataFiles.Sha256(csv), spec.Dataset.TrainSha256);
        Assert.Contains($"\"train\":\"{csv}\",\"train_sha256\":\"{DataFiles.Sha256(csv)}\"", trial.CanonicalJson);
        Assert.Contains("\"standardize\":true", trial.CanonicalJson);
        Assert.Contains("\"output\":\"identity\"", trial.CanonicalJson);
        Assert.Equal(Output.Identity, trial.Config.Output);
        var again = ResolvedTrial.FromCanonicalJson(trial.CanonicalJson);
        Assert.Equal(trial.Id, again.Id);
        Assert.Equal(trial.Dataset, again.Dataset);
    }

    [Fact]
    public void A_changed_file_makes_new_trials_and_the_same_bytes_the_same_ones()
    {
        var csv = GoodCsv();
        var yaml = Spec($"{{ train: {csv}, test_fraction: 0.25, validation: 3 }}");
        var before = SpecTesting.Valid(yaml, Files).Expand().Select(t => t.Id).ToList();
        var same = SpecTesting.Valid(yaml, Files).Expand().Select(t => t.Id).ToList();

        GoodCsv(offset: 1);
        var after = SpecTesting.Valid(yaml, Files).Expand().Select(t => t.Id).ToList();

        Assert.Equal(before, same);
        Assert.Empty(before.Intersect(after));
    }

    [Fact]
    public void Sigmoid_output_is_left_out_of_the_identity_as_before_it_existed()
    {
        var explicitSigmoid = SpecTesting.Valid(Spec("{ path: /data/fm }", "{ hidden: [8], output: sigmoid }")).Expand()[0];
        var unsaid = SpecTesting.Valid(Spec("{ path: /data/fm }", "{ hidden: [8] }")).Expand()[0];

        Assert.Equal(unsaid.Id, explicitSigmoid.Id);
        Assert.DoesNotContain("output", unsaid.CanonicalJson);
        Assert.DoesNotContain("sha256", unsaid.CanonicalJson);
    }

    [Fact]
    public void A_ragged_row_is_reported_at_the_train_key_with_file_and_line()
    {
        var csv = Csv("ragged.csv", "1,2,3\n4,5,6\n7,8\n9,10,11\n");

        var error = SpecTesting.Single(Spec($"{{ train: {csv}, test_fraction: 0.25 }}"), Files);

        SpecTesting.AssertAt(error, 2, 19, $"dataset.train: {csv}:3: 2 fields, but line 1 has 3; every row needs the same number");
    }

    [Fact]
    public void NaN_in_the_data_is_reported_with_its_row_and_column()
    {
        var csv = Csv("nan.csv", "a,b\n1,2\n3,nan\n");

        var error = SpecTesting.Single(Spec($"{{ train: {csv}, test_fraction: 0.25 }}"), Files);

        SpecTesting.AssertAt(error, 2, 19, $"dataset.train: {csv}:3: column 2 (b): nan is NaN; data must be finite");
    }

    [Fact]
    public void Train_and_test_of_different_widths_are_reported_at_the_test_key()
    {
        var train = GoodCsv();
        var test = Csv("narrow.csv", "1,2,3\n4,5,6\n");

        var error = SpecTesting.Single(Spec($"{{ train: {train}, test: {test}, validation: 3 }}"), Files);

        Assert.StartsWith($"dataset.test: {test}: test examples are 3 features but the training file {train} has 5 features", error.Message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void An_unsupported_dtype_and_a_missing_file_are_reported_at_their_keys()
    {
        var ints = _dir.File("ints.npy");
        File.WriteAllBytes(ints, NpyFiles.Int64([1, 2, 3, 4], 2, 2));
        var missing = _dir.File("absent.npy");

        var dtype = SpecTesting.Single(Spec($"{{ train: {ints}, test_fraction: 0.5 }}"), Files);
        var absent = SpecTesting.Single(Spec($"{{ train: {GoodCsv()}, test: {missing} }}"), Files);

        Assert.Equal($"dataset.train: {ints}: unsupported dtype '<i8' for data; use uint8, float32 or float64", dtype.Message);
        Assert.Equal($"dataset.test: {missing}: file does not exist", absent.Message);
    }

    [Fact]
    public void Conflicting_and_missing_keys_are_reported_where_they_are()
    {
        var csv = GoodCsv();

        var both = SpecTesting.Errors(Spec($"{{ train: {csv}, test: {csv}, test_fraction: 0.2 }}"), Files);
        var neither = SpecTesting.Single(Spec($"{{ train: {csv} }}"), Files);
        var idx = SpecTesting.Single(Spec("{ path: /data/fm, labels: last }"), Files);
        var tooMany = SpecTesting.Single(Spec($"{{ train: {csv}, test_fraction: 0.25 }}"), Files);

        Assert.Contains(both, e => e.Message == "dataset.test_fraction: give either a test file or test_fraction, not both");
        Assert.Equal("dataset: needs dataset.test (a test file) or dataset.test_fraction (the share of the training file held out for test)", neither.Message);
        Assert.Equal("dataset.labels: goes with dataset.train (files of numbers), not with an IDX directory", idx.Message);
        Assert.Equal($"dataset.validation: must be less than the 15 training examples of {csv} left after the test carve, got 5000", tooMany.Message);
    }

    [Fact]
    public void Bernoulli_on_standardised_or_unbounded_data_is_reported_at_the_likelihood()
    {
        var csv = GoodCsv();

        var standardized = SpecTesting.Single(Spec($"{{ train: {csv}, test_fraction: 0.25, validation: 3, standardize: true }}", "{ likelihood: bernoulli }"), Files);
        var unbounded = SpecTesting.Single(Spec($"{{ train: {csv}, test_fraction: 0.25, validation: 3 }}", "{ likelihood: bernoulli }"), Files);

        Assert.Equal("model.likelihood: bernoulli models values in [0, 1], and dataset.standardize makes them unbounded; use gaussian with output: identity", standardized.Message);
        Assert.Equal($"model.likelihood: bernoulli models values in [0, 1], but {csv} has others; use gaussian", unbounded.Message);
    }
}
