namespace VaeSweep.Model;

/// <summary>The Gaussian decoder's mean as a function of the network's last layer f(z).</summary>
public enum Output
{
    /// <summary>sigmoid(f(z)): data in [0, 1], such as grey levels.</summary>
    Sigmoid,
    /// <summary>f(z) itself: unbounded continuous data (standardised features, measurements).</summary>
    Identity,
}
