namespace VaeSweep.Client.Tests.Fixtures;

/// <summary>A sweep small enough to train in a second or two on the synthetic IDX files.</summary>
internal static class TinySweep
{
    public static string Spec(string dataDirectory, string name = "tiny", int epochs = 3, string latent = "[2, 3]", string lr = "[0.003]", int validation = 40) => $$"""
        name: {{name}}
        dataset: { name: blobs, path: {{dataDirectory}}, validation: {{validation}} }
        model: { hidden: [16], activation: relu, likelihood: gaussian }
        train: { epochs: {{epochs}}, batch_size: 32, seed: 1 }
        eval: { importance_samples: 20, examples: 20 }
        sweep:
          strategy: grid
          parameters:
            latent: {{latent}}
            sigma: [0.3]
            lr: {{lr}}
        """;

    /// <summary>Writes data and spec into <paramref name="dir"/>; returns the spec's path.</summary>
    /// <param name="trainImages">Size of the synthetic training file; larger makes each epoch slower, for tests that act mid-run.</param>
    public static string Write(TempDirectory dir, string name = "tiny", int epochs = 3, string latent = "[2, 3]", string lr = "[0.003]", int validation = 40, int trainImages = 240)
    {
        var data = IdxFiles.Write(dir.File("data"), train: trainImages);
        var spec = dir.File($"{name}.yaml");
        File.WriteAllText(spec, Spec(data, name, epochs, latent, lr, validation));
        return spec;
    }
}
