using System.Globalization;

namespace VaeSweep.Client.Store;

/// <summary>
/// ISO-8601 UTC text with milliseconds and a 'Z', so timestamps sort as strings and read well in sqlite3.
/// </summary>
internal static class Timestamps
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset time) =>
        time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text, string where) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new ResultsStoreException($"{where}: '{text}' is not an ISO-8601 timestamp");

    public static DateTimeOffset? ParseOptional(string? text, string where) =>
        text is null ? null : Parse(text, where);
}
