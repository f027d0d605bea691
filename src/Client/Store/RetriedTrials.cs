namespace VaeSweep.Client.Store;

/// <summary>How many ended trials of a sweep <see cref="ResultsStore.RetryTrials"/> made pending again.</summary>
public sealed record RetriedTrials(int Failed, int Diverged)
{
    public int Total => Failed + Diverged;
}
