namespace VaeSweep.Client.Ranking;

/// <summary>How a result set is written: an aligned plain-text table, a JSON array of objects, or RFC 4180 CSV.</summary>
public enum OutputFormat
{
    Table,
    Json,
    Csv,
}
