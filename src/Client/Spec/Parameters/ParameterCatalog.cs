using System.Collections.Frozen;
using VaeSweep.Model;
using VaeSweep.Model.Evaluation;

namespace VaeSweep.Client.Spec.Parameters;

/// <summary>
/// Every trial setting a spec may give in model, train or eval, and so may sweep. Names match the field
/// names of <see cref="TrialConfig.Validate"/>, which is how its messages are traced back to YAML nodes.
/// </summary>
internal static class ParameterCatalog
{
    public const string Model = "model";
    public const string Train = "train";
    public const string Eval = "eval";

    public static IReadOnlyList<SpecParameter> All { get; } =
    [
        new NameParameter<Engine>("engine", Model, c => c.Engine, (c, v) => c with { Engine = v }) { OmittedDefault = Engine.Native },
        new NameParameter<Architecture>("arch", Model, c => c.Arch, (c, v) => c with { Arch = v }) { OmittedDefault = Architecture.Mlp },
        new IntegerListParameter("hidden", Model, c => c.Hidden, (c, v) => c with { Hidden = v }),
        new NameParameter<Activation>("activation", Model, c => c.Activation, (c, v) => c with { Activation = v }),
        new NameParameter<Likelihood>("likelihood", Model, c => c.Likelihood, (c, v) => c with { Likelihood = v }),
        new NameParameter<Output>("output", Model, c => c.Output, (c, v) => c with { Output = v }) { OmittedDefault = Output.Sigmoid },
        new IntegerParameter("latent", Model, c => c.Latent, (c, v) => c with { Latent = v }),
        new RealParameter("sigma", Model, c => c.Sigma, (c, v) => c with { Sigma = v }),
        new RealParameter("beta", Model, c => c.Beta, (c, v) => c with { Beta = v }),
        new NameParameter<Binarization>("binarization", Model, c => c.Binarization, (c, v) => c with { Binarization = v }),
        new IntegerParameter("epochs", Train, c => c.Epochs, (c, v) => c with { Epochs = v }),
        new IntegerParameter("batch_size", Train, c => c.BatchSize, (c, v) => c with { BatchSize = v }),
        new IntegerParameter("seed", Train, c => c.Seed, (c, v) => c with { Seed = v }),
        new RealParameter("lr", Train, c => c.LearningRate, (c, v) => c with { LearningRate = v }),
        new IntegerParameter("threads", Train, c => c.Threads, (c, v) => c with { Threads = v }),
        new IntegerParameter("importance_samples", Eval, c => c.ImportanceSamples, (c, v) => c with { ImportanceSamples = v }),
        new IntegerParameter("examples", Eval, c => c.EvalExamples, (c, v) => c with { EvalExamples = v }),
        new RealParameter("active_threshold", Eval, c => c.ActiveThreshold, (c, v) => c with { ActiveThreshold = v })
        {
            OmittedDefault = LatentStatistics.DefaultThreshold,
        },
    ];

    public static IReadOnlyDictionary<string, SpecParameter> ByName { get; } = All.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    public static SpecParameter Binarization => ByName["binarization"];

    public static SpecParameter Likelihood => ByName["likelihood"];

    public static IReadOnlyList<string> NamesIn(string section) => All.Where(p => p.Section == section).Select(p => p.Name).ToArray();
}
