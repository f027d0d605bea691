namespace VaeSweep.Model.Randomness;

/// <summary>
/// The stream ids every engine derives its generators from (<see cref="Xoshiro256StarStar.DeriveSeed"/>). Declared once:
/// the engines agree draw for draw only because they derive the same streams, and changing an id changes every number
/// a trial reports, so it is a numerics change (bump <see cref="EngineInfo"/>'s version).
/// </summary>
internal static class RandomStreams
{
    /// <summary>(seed, 0): weight initialisation, then per epoch the shuffle and per batch the binarisation and ε.</summary>
    public const ulong Training = 0;

    /// <summary>(seed, 1, epoch): the one ε per example of an epoch's validation ELBO.</summary>
    public const ulong Validation = 1;

    /// <summary>(seed, 2, split): the seed of one importance-sampling estimate.</summary>
    public const ulong LogLikelihood = 2;

    /// <summary>(estimate seed, 1, position): one example's ε stream within an estimate.</summary>
    public const ulong ExampleNoise = 1;
}
