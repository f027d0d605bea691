using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec;

/// <summary>Collects <see cref="SpecError"/>s of one file so parsing can go on and report every problem.</summary>
internal sealed class SpecErrorSink(string file)
{
    private readonly List<SpecError> _errors = [];

    public int Count => _errors.Count;

    public void Add(int line, int column, string message) => _errors.Add(new SpecError(file, line, column, message));

    /// <param name="path">Dotted location in the spec, e.g. sweep.parameters.sigma[1]; empty for the document itself.</param>
    public void Add(YNode at, string path, string message) => Add(at.Line, at.Column, path.Length == 0 ? message : $"{path}: {message}");

    /// <summary>The errors in file order (line, then column), each reported once.</summary>
    public IReadOnlyList<SpecError> ToList() =>
        _errors.Distinct().OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();
}
