namespace VaeSweep.Silo.Tests.Broker;

/// <summary>
/// A tiny MNIST-shaped dataset in its own temp directory (the shared synthetic IDX files, 8×8), so real
/// trials run in well under a second; deleted on dispose.
/// </summary>
internal sealed class TinyIdx : IDisposable
{
    public const int Side = 8;

    public TinyIdx(int train = 300, int test = 50, int seed = 5)
    {
        Directory = IdxFiles.Write(Path.Combine(Path.GetTempPath(), $"vaesweep-idx-{Guid.NewGuid():N}"), train, test, Side, seed);
    }

    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
