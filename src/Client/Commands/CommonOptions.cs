using System.CommandLine;
using VaeSweep.Client.Ranking;

namespace VaeSweep.Client.Commands;

/// <summary>Options several verbs share, spelled and defaulted the same everywhere.</summary>
internal static class CommonOptions
{
    public const string ClusterVariable = "VAESWEEP_CLUSTER";
    public const string DatabaseVariable = "VAESWEEP_DB";
    public const string DefaultDatabase = "vaesweep.db";

    /// <summary>--db, defaulting to $VAESWEEP_DB and then vaesweep.db in the working directory.</summary>
    public static Option<string> Database(CliContext context) => new("--db")
    {
        Description = $"Results database (SQLite); default: ${DatabaseVariable}, else {DefaultDatabase} here",
        DefaultValueFactory = _ => context.Environment(DatabaseVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultDatabase,
    };

    /// <summary>--cluster, with a description of what it does for this command (each uses it differently).</summary>
    public static Option<string?> Cluster(string purpose) => new("--cluster")
    {
        Description = $"{purpose}. redis://HOST:PORT[/CLUSTER]; default: ${ClusterVariable}",
    };

    /// <summary>
    /// --format with the formats this command offers (default: all three); anything else is a one-line error naming
    /// them, never the whole help.
    /// </summary>
    public static Option<OutputFormat> Format(string what = "Output format", params OutputFormat[] offered)
    {
        if (offered.Length == 0) offered = [OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv];
        var words = offered.Select(f => f.ToString().ToLowerInvariant()).ToList();
        var names = words.Count == 1 ? words[0] : $"{string.Join(", ", words[..^1])} or {words[^1]}";
        return new Option<OutputFormat>("--format")
        {
            Description = $"{what}: {names}",
            DefaultValueFactory = _ => OutputFormat.Table,
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 0 ? "table" : r.Tokens[0].Value;
                try
                {
                    var format = ResultFormatter.ParseFormat(text);
                    if (offered.Contains(format)) return format;
                }
                catch (ArgumentException)
                {
                    // Reported below with this command's own list.
                }
                r.AddError($"--format: expected {names}, got '{text}'");
                return OutputFormat.Table;
            },
        };
    }
}
