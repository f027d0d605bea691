using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace VaeSweep.Client.Spec.Yaml;

/// <summary>
/// Turns YAML text into a <see cref="YNode"/> tree from YamlDotNet's event stream. A syntax error stops
/// the reader (the parser cannot resynchronise), so it yields exactly one error; everything past syntax
/// is left to the spec reader, which reports all problems it finds.
/// </summary>
internal static class YamlTreeReader
{
    /// <returns>The document's root node, or null when there is none or reading failed (see <paramref name="errors"/>).</returns>
    public static YNode? Read(string text, SpecErrorSink errors)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                errors.Add(1, 1, "the spec is empty");
                return null;
            }
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors, errors);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                errors.Add((int)second.Start.Line, (int)second.Start.Column, "a spec is one YAML document; found a second one ('---')");
                return null;
            }
            return root;
        }
        catch (YamlException e)
        {
            errors.Add(Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column), $"YAML syntax error: {e.Message}");
            return null;
        }
        catch (UnknownAliasException e)
        {
            // The document's structure is incomplete without the aliased node; checking the rest would mislead.
            errors.Add(e.Line, e.Column, e.Message);
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some malformed flow collections; the last event read is the best clue.
            var at = parser.Current?.Start;
            errors.Add(Math.Max(1, (int)(at?.Line ?? 1)), Math.Max(1, (int)(at?.Column ?? 1)),
                "YAML syntax error after this point; look for an unclosed bracket, brace or quote");
            return null;
        }
    }

    private static YNode ReadNode(IParser parser, Dictionary<string, YNode> anchors, SpecErrorSink errors)
    {
        var start = parser.Current ?? throw new YamlException("unexpected end of the YAML stream");
        var line = (int)start.Start.Line;
        var column = (int)start.Start.Column;
        YNode node;
        switch (start)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                return anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target
                    : throw new UnknownAliasException(line, column, $"YAML alias '*{alias.Value.Value}' refers to no anchor defined before it");
            case Scalar scalar:
                parser.MoveNext();
                node = new YScalar
                {
                    Line = line,
                    Column = column,
                    Value = scalar.Value,
                    IsPlain = scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty,
                };
                break;
            case SequenceStart:
                parser.MoveNext();
                var items = new List<YNode>();
                while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(ReadNode(parser, anchors, errors));
                node = new YSequence { Line = line, Column = column, Items = items };
                break;
            case MappingStart:
                parser.MoveNext();
                var entries = new List<YEntry>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, anchors, errors);
                    var value = ReadNode(parser, anchors, errors);
                    if (key is YScalar { IsNull: false } scalarKey) entries.Add(new YEntry(scalarKey, value));
                    else errors.Add(key.Line, key.Column, "mapping keys must be names, not lists, mappings or null");
                }
                node = new YMapping { Line = line, Column = column, Entries = entries };
                break;
            default:
                throw new YamlException(start.Start, start.End, $"unexpected YAML event {start.GetType().Name}");
        }
        if (start is NodeEvent { Anchor.IsEmpty: false } anchored) anchors[anchored.Anchor.Value] = node;
        return node;
    }

    private sealed class UnknownAliasException(int line, int column, string message) : Exception(message)
    {
        public int Line { get; } = line;

        public int Column { get; } = column;
    }
}
