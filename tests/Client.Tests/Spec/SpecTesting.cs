using System.Runtime.CompilerServices;
using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Tests.Spec;

/// <summary>Parsing helpers for the spec tests; the directory check is injected so no dataset is needed.</summary>
internal static class SpecTesting
{
    public const string File = "experiments/test.yaml";

    public static SpecParserOptions AnyDirectory { get; } = new() { DirectoryExists = _ => true };

    public static SpecParseResult Parse(string yaml, SpecParserOptions? options = null) =>
        SpecParser.Parse(yaml, File, options ?? AnyDirectory);

    public static SweepSpec Valid(string yaml, SpecParserOptions? options = null)
    {
        var result = Parse(yaml, options);
        Assert.True(result.Success, "expected a valid spec, got:\n" + string.Join("\n", result.Errors));
        Assert.Empty(result.Errors);
        return result.Spec;
    }

    public static IReadOnlyList<SpecError> Errors(string yaml, SpecParserOptions? options = null)
    {
        var result = Parse(yaml, options);
        Assert.False(result.Success, "expected errors, but the spec parsed");
        Assert.Null(result.Spec);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    /// <summary>The one error of a spec that must have exactly one.</summary>
    public static SpecError Single(string yaml, SpecParserOptions? options = null)
    {
        var errors = Errors(yaml, options);
        Assert.True(errors.Count == 1, "expected one error, got:\n" + string.Join("\n", errors));
        return errors[0];
    }

    /// <summary>The header every small test spec shares: 4 lines, so the sweep section starts on line 5.</summary>
    public const string Header = """
        name: t
        dataset: { path: /data/fm }
        model: { hidden: [8], latent: 2 }
        train: { epochs: 1 }

        """;

    public static void AssertAt(SpecError error, int line, int column, string message)
    {
        Assert.Equal(File, error.File);
        Assert.True((line, column, message) == (error.Line, error.Column, error.Message),
            $"expected {line}:{column}: {message}\n     got {error.Line}:{error.Column}: {error.Message}");
    }

    /// <summary>The repository root (holding VaeSweep.sln), found from the test binaries or, failing that, this source file.</summary>
    public static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "VaeSweep.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no VaeSweep.sln above {AppContext.BaseDirectory} or {sourceFile}");
    }
}
