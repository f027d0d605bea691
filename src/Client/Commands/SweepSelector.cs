using System.CommandLine;

namespace VaeSweep.Client.Commands;

/// <summary>
/// How every command names a sweep: as its first argument (<c>vaesweep top fashion-quick</c>), or with
/// <c>--sweep NAME</c>, which scripts written before the argument existed still use. Giving two different names
/// is a usage error rather than a silent choice.
/// </summary>
internal sealed class SweepSelector
{
    private readonly Argument<string?> argument;
    private readonly Option<string?> option;

    /// <param name="what">How the command uses the sweep, for its help.</param>
    /// <param name="defaultsToNewest">Whether leaving the name out means the newest sweep (else it is required).</param>
    public SweepSelector(string what, bool defaultsToNewest)
    {
        DefaultsToNewest = defaultsToNewest;
        var fallback = defaultsToNewest ? " (default: the newest sweep)" : "";
        argument = new Argument<string?>("SWEEP") { Description = $"{what}{fallback}", Arity = ArgumentArity.ZeroOrOne };
        option = new Option<string?>("--sweep") { Description = "The same as the SWEEP argument" };
    }

    public bool DefaultsToNewest { get; }

    public void AddTo(Command command)
    {
        command.Add(argument);
        command.Add(option);
    }

    /// <summary>The name given, or null when none was (and none is required).</summary>
    /// <exception cref="FormatException">Two different names, or none where one is required.</exception>
    public string? From(ParseResult parse)
    {
        var positional = parse.GetValue(argument);
        var flagged = parse.GetValue(option);
        if (positional is not null && flagged is not null && positional != flagged)
            throw new FormatException($"SWEEP: named twice, '{positional}' and --sweep '{flagged}'; give one");
        var name = positional ?? flagged;
        if (name is null && !DefaultsToNewest) throw new FormatException($"SWEEP: name the sweep, e.g. `vaesweep {parse.CommandResult.Command.Name} fashion-quick`");
        return name;
    }
}
