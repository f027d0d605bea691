using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Tests.Spec;

/// <summary>The specs checked in under experiments/ must stay valid.</summary>
public sealed class ExperimentFilesTests
{
    private static IEnumerable<string> Files() =>
        Directory.GetFiles(Path.Combine(SpecTesting.RepositoryRoot(), "experiments"), "*.yaml").Order(StringComparer.Ordinal);

    private static SweepSpec ParseFile(string path) =>
        SpecParser.Parse(File.ReadAllText(path), $"experiments/{Path.GetFileName(path)}", SpecTesting.AnyDirectory) is { Success: true } r
            ? r.Spec
            : throw new Xunit.Sdk.XunitException(string.Join("\n", SpecParser.Parse(File.ReadAllText(path), path, SpecTesting.AnyDirectory).Errors));

    /// <summary>Every trial of every checked-in spec.</summary>
    public static IEnumerable<ResolvedTrial> AllTrials() => Files().SelectMany(f => ParseFile(f).Expand());

    [Fact]
    public void Every_experiment_spec_parses()
    {
        var specs = Files().Select(ParseFile).ToList();

        Assert.True(specs.Count >= 4, $"expected at least 4 specs, found {specs.Count}");
        Assert.All(specs, s => Assert.NotEmpty(s.Expand()));
        Assert.Equal(specs.Count, specs.Select(s => s.Name).Distinct().Count());
        Assert.Contains(specs, s => s.Strategy == SweepStrategy.Grid);
        Assert.Contains(specs, s => s.Strategy == SweepStrategy.Random);
        Assert.Contains(specs, s => s.Strategy == SweepStrategy.List);
    }

    [Fact]
    public void Each_spec_is_named_after_its_file()
    {
        foreach (var file in Files())
            Assert.Equal(Path.GetFileNameWithoutExtension(file), ParseFile(file).Name);
    }

    [Fact]
    public void The_smoke_spec_is_tiny()
    {
        var smoke = ParseFile(Path.Combine(SpecTesting.RepositoryRoot(), "experiments", "smoke.yaml"));

        Assert.Equal(2000, smoke.Dataset.Limit);
        Assert.Equal([2, 4], smoke.Expand().Select(t => t.Config.Latent));
        Assert.All(smoke.Expand(), t =>
        {
            Assert.Equal(1, t.Config.Epochs);
            Assert.Equal(50, t.Config.ImportanceSamples);
            Assert.Equal(100, t.Config.EvalExamples);
        });
    }
}
