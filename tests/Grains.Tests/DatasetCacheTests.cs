using VaeSweep.Grains.Contracts;

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
