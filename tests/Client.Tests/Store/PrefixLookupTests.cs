using VaeSweep.Client.Store;

namespace VaeSweep.Client.Tests.Store;

public class PrefixLookupTests
{
    private static ResultsStore Store(string path) =>
        Samples.StoreWithSweep(path, trialIds: ["3f9a01", "3f9a02", "3fb000", "c0ffee", "ab%d"]);

    [Theory]
    [InlineData("3f9a01", "3f9a01")]
    [InlineData("3fb", "3fb000")]
    [InlineData("C0F", "c0ffee")]
    [InlineData("ab%", "ab%d")]
    public void UniquePrefixFindsTheTrial(string prefix, string expected)
    {
        using var db = new TempDatabase();
        using var store = Store(db.Path);
        Assert.Equal(expected, store.GetTrial(prefix).TrialId);
    }

    [Fact]
    public void AmbiguousPrefixListsTheCandidates()
    {
        using var db = new TempDatabase();
        using var store = Store(db.Path);
        var e = Assert.Throws<ResultsStoreException>(() => store.GetTrial("3f9"));
        Assert.Contains("'3f9' is ambiguous", e.Message);
        Assert.Contains("3f9a01", e.Message);
        Assert.Contains("3f9a02", e.Message);
        Assert.DoesNotContain("3fb000", e.Message);
    }

    [Fact]
    public void NoMatchSaysSo()
    {
        using var db = new TempDatabase();
        using var store = Store(db.Path);
        Assert.Contains("no trial id starts with 'dd'", Assert.Throws<ResultsStoreException>(() => store.GetTrial("dd")).Message);
        // '%' and '_' are not wildcards.
        Assert.Throws<ResultsStoreException>(() => store.GetTrial("%"));
        Assert.Throws<ResultsStoreException>(() => store.GetTrial("_f"));
    }

    [Fact]
    public void AnIdThatIsAlsoAPrefixOfAnotherIsFoundExactly()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["abc", "abcd"]);
        Assert.Equal("abc", store.GetTrial("abc").TrialId);
        Assert.Throws<ResultsStoreException>(() => store.GetTrial("ab"));
    }
}
