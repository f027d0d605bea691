namespace VaeSweep.Client.Tests.Spec;

/// <summary>YAML conveniences the spec reader honours, and their failure modes.</summary>
public sealed class YamlFeaturesTests
{
    [Fact]
    public void Anchors_and_aliases_reuse_values()
    {
        var trials = SpecTesting.Valid("""
            name: t
            dataset: { path: /data/fm }
            model: { hidden: &arch [64, 32] }
            sweep:
              parameters:
                hidden: [*arch, [16]]
            """).Expand();

        Assert.Equal(["[64, 32]", "[16]"], trials.Select(t => t.Swept[0].Text));
    }

    [Fact]
    public void An_alias_without_an_anchor_is_an_error()
    {
        var error = SpecTesting.Single(SpecTesting.Header + "sweep: { parameters: { hidden: [*arch] } }\n");

        SpecTesting.AssertAt(error, 5, 33, "YAML alias '*arch' refers to no anchor defined before it");
    }

    [Fact]
    public void Empty_optional_sections_count_as_absent_and_a_description_is_kept()
    {
        var spec = SpecTesting.Valid("""
            name: t
            description: only defaults
            dataset: { path: /data/fm }
            model:
            train:
            sweep:
              strategy: grid
              parameters:
            """);

        Assert.Equal("only defaults", spec.Description);
        Assert.Single(spec.Expand());
    }

    [Fact]
    public void Two_documents_are_an_error()
    {
        var error = SpecTesting.Single("name: a\n---\nname: b\n");

        Assert.Equal((2, 1), (error.Line, error.Column));
        Assert.Contains("one YAML document", error.Message);
    }

    [Fact]
    public void Special_floats_reach_validation()
    {
        var errors = SpecTesting.Errors(SpecTesting.Header + "sweep: { parameters: { sigma: [.nan, .inf] } }\n");

        Assert.Equal(["sweep.parameters.sigma[0]: must be a positive number, got NaN", "sweep.parameters.sigma[1]: must be a positive number, got Infinity"],
            errors.Select(e => e.Message));
    }
}
