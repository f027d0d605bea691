namespace VaeSweep.Client.Report;

/// <summary>How much the report shows. Defaults keep a page of a reference sweep a few megabytes at most.</summary>
public sealed record ReportOptions
{
    /// <summary>Best trials highlighted on the curves and shown as images. Default 3; 1 to 10.</summary>
    public int BestTrials { get; init; } = 3;

    /// <summary>Test images (and reconstructions, and prior samples) per best trial. Default 16; 1 to 64.</summary>
    public int Images { get; init; } = 16;

    /// <summary>Test images in the latent-2 scatter (fewer when the test file is smaller). Default 1000; 1 to 10000.</summary>
    public int ScatterPoints { get; init; } = 1000;

    /// <summary>Seed of the prior samples, so the same database gives the same page. Default 0.</summary>
    public ulong PriorSeed { get; init; }

    /// <summary>The random-forest surrogate of parameter importance for sweeps that are not complete grids.</summary>
    public ForestOptions Importance { get; init; } = new();

    /// <summary>Every violated constraint, as "field: what is wrong"; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BestTrials is < 1 or > 10) errors.Add($"best_trials: must be between 1 and 10, got {BestTrials}");
        if (Images is < 1 or > 64) errors.Add($"images: must be between 1 and 64, got {Images}");
        if (ScatterPoints is < 1 or > 10000) errors.Add($"scatter_points: must be between 1 and 10000, got {ScatterPoints}");
        errors.AddRange(Importance.Validate().Select(e => $"importance.{e}"));
        return errors;
    }
}
