namespace VaeSweep.Model;

/// <summary>Hidden-layer nonlinearity of encoder and decoder MLPs.</summary>
public enum Activation
{
    Relu,
    Tanh,
    Softplus,
    /// <summary>No nonlinearity: with a linear decoder and Gaussian likelihood the model is probabilistic PCA.</summary>
    Identity,
}
