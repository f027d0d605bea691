using System.CommandLine;
using VaeSweep.Client.Ranking;

namespace VaeSweep.Client.Commands;

/// <summary>Options several verbs share, spelled and defaulted the same everywhere.</summary>
internal static class CommonOptions
{
    public const string ClusterVariable = "VAESWEEP_CLUSTER";

    public static Option<string> Database() => new("--db")
    {
        Description = "Results database (SQLite); created by run when missing",
        DefaultValueFactory = _ => "vaesweep.db",
    };

    public static Option<string?> Cluster() => new("--cluster")
    {
        Description = $"Cluster membership in Redis, redis://HOST:PORT[/CLUSTER]; default: ${ClusterVariable}. Without it, trials run in a silo inside this process",
    };

    public static Option<OutputFormat> Format() => new("--format")
    {
        Description = "Output format: table, json or csv",
        DefaultValueFactory = _ => OutputFormat.Table,
        CustomParser = r =>
        {
            try
            {
                return ResultFormatter.ParseFormat(r.Tokens.Count == 0 ? "table" : r.Tokens[0].Value);
            }
            catch (ArgumentException e)
            {
                r.AddError($"--format: {e.Message}");
                return OutputFormat.Table;
            }
        },
    };

    public static Option<string?> Sweep() => new("--sweep") { Description = "Sweep name" };
}
