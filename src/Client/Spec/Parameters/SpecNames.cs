namespace VaeSweep.Client.Spec.Parameters;

/// <summary>The spec's lower-case spelling of an engine enum (relu, gaussian, static...).</summary>
internal static class SpecNames<T> where T : struct, Enum
{
    private static readonly T[] Values = Enum.GetValues<T>();

    private static readonly string[] Names = Values.Select(v => v.ToString().ToLowerInvariant()).ToArray();

    public static IReadOnlyList<string> All => Names;

    public static string Of(T value) => value.ToString().ToLowerInvariant();

    public static bool TryParse(string name, out T value)
    {
        var i = Array.IndexOf(Names, name);
        value = i >= 0 ? Values[i] : default;
        return i >= 0;
    }
}
