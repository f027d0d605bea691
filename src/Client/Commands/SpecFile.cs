using System.Diagnostics.CodeAnalysis;
using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Commands;

/// <summary>Reads and parses a spec file, reporting every problem as file:line:column on standard error.</summary>
internal static class SpecFile
{
    public static bool TryLoad(CliContext context, string path, [NotNullWhen(true)] out SweepSpec? spec)
    {
        spec = null;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Fail(ExitCodes.BadSpec, $"{path}: cannot read the spec file: {e.Message}");
            return false;
        }

        var result = SpecParser.Parse(text, path);
        if (!result.Success)
        {
            foreach (var error in result.Errors) context.Err.WriteLine(error.ToString());
            context.Err.WriteLine($"vaesweep: {path}: {result.Errors.Count} error(s); nothing was run or stored");
            return false;
        }

        spec = result.Spec;
        return true;
    }
}
