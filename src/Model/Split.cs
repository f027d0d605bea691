namespace VaeSweep.Model;

/// <summary>A named evaluation split. The test split is never used for training or selection.</summary>
public enum Split
{
    Validation,
    Test,
}
