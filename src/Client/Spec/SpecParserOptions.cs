using VaeSweep.Model;
using VaeSweep.Model.Data;

namespace VaeSweep.Client.Spec;

/// <summary>What <see cref="SpecParser.Parse"/> needs from outside the text, injectable for tests.</summary>
public sealed record SpecParserOptions
{
    public const int DefaultMaxTrials = 10_000;

    /// <summary>Whether dataset.path names an existing directory. Default: <see cref="Directory.Exists(string)"/>.</summary>
    public Func<string, bool> DirectoryExists { get; init; } = Directory.Exists;

    /// <summary>
    /// Loads dataset.train (and dataset.test) with the split seed, to check them and hash them. Default:
    /// <see cref="DataFiles.Load"/>, which reads the files in full.
    /// </summary>
    public Func<DataSource, int, LoadedData> LoadData { get; init; } = DataFiles.Load;

    /// <summary>
    /// Why an engine cannot train in this process, or null when it can. Default: <see cref="TrainerFactory.Unavailability"/>,
    /// which loads libtorch the first time a spec names <c>engine: torch</c> (and only then).
    /// </summary>
    public Func<Engine, string?> EngineUnavailability { get; init; } = TrainerFactory.Unavailability;

    /// <summary>
    /// The most trials a spec may expand to (default 10 000); a larger grid, random trial count or config list is
    /// reported as an error rather than expanded. At least 1.
    /// </summary>
    public int MaxTrials { get; init; } = DefaultMaxTrials;

    public static SpecParserOptions Default { get; } = new();

    /// <exception cref="ArgumentOutOfRangeException"><see cref="MaxTrials"/> is below 1.</exception>
    public void Validate()
    {
        if (MaxTrials < 1) throw new ArgumentOutOfRangeException(nameof(MaxTrials), MaxTrials, "MaxTrials must be at least 1");
    }
}
