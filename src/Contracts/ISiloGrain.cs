namespace VaeSweep.Contracts;

/// <summary>
/// A silo's own grain, keyed by the silo's address (<c>SiloAddress.ToParsableString()</c>) and placed on
/// that silo by a placement hint. An activation that finds itself on another silo (its own is gone) refuses.
/// </summary>
public interface ISiloGrain : IGrainWithStringKey
{
    Task<SiloReport> ReportAsync();
}
