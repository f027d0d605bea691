using VaeSweep.Contracts;

namespace VaeSweep.Grains.Tests;

public sealed class DatasetCacheTests
{
    [Fact]
    public void Trials_of_one_dataset_share_one_copy_of_the_pixels()
    {
        var dir = IdxFiles.Write(Directory.CreateTempSubdirectory("vaesweep-cache-").FullName);
        try
        {
            var cache = new DatasetCache();
            var a = cache.Get(new DatasetRef("blobs", dir, 40, 0, 0));
            var b = cache.Get(new DatasetRef("blobs", dir, 50, 3, 100));

            Assert.Same(a.TrainFile, b.TrainFile);
            Assert.Same(a, cache.Get(new DatasetRef("blobs", dir, 40, 0, 0)));
            Assert.Equal(50, b.ValidationIndices.Count);
            Assert.Equal(100, b.TrainIndices.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Trials_of_one_file_source_share_one_copy_of_the_values_standardised_or_not_and_a_changed_file_fails()
    {
        var dir = Directory.CreateTempSubdirectory("vaesweep-cache-").FullName;
        try
        {
            var path = Path.Combine(dir, "x.npy");
            File.WriteAllBytes(path, NpyFiles.Float32(Enumerable.Range(0, 200).Select(i => (float)Math.Sin(i)).ToArray(), 100, 2));
            var hash = VaeSweep.Model.Data.DataFiles.Sha256(path);
            var cache = new DatasetCache();
            var plain = new DatasetRef("x", "", 10, 0, 0, Train: path, TestFraction: 0.2, TrainSha256: hash);

            var a = cache.Get(plain);
            var b = cache.Get(plain with { Validation = 20, Standardize = true });

            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(a.TrainFile.Values, out var first));
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(b.TrainFile.Values, out var second));
            Assert.Same(first.Array, second.Array);
            Assert.Null(a.Standardization);
            Assert.NotNull(b.Standardization);
            Assert.Equal((80, 20), (a.TrainFile.Count, a.Test.Count));

            File.WriteAllBytes(path, NpyFiles.Float32(new float[200], 100, 2));
            var changed = Assert.Throws<VaeSweep.Model.Data.DatasetException>(() => new DatasetCache().Get(plain));
            Assert.StartsWith($"{path}: the file changed since the sweep was specified", changed.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_failed_load_is_not_remembered_so_a_fixed_directory_loads_next_time()
    {
        var dir = Directory.CreateTempSubdirectory("vaesweep-cache-").FullName;
        try
        {
            var cache = new DatasetCache();
            var reference = new DatasetRef("blobs", dir, 40, 0, 0);
            Assert.ThrowsAny<Exception>(() => cache.Get(reference));

            IdxFiles.Write(dir);

            Assert.Equal(40, cache.Get(reference).ValidationIndices.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
