namespace Micrograd.Nn;

/// <summary>What a neuron does to its weighted sum.</summary>
public enum Activation
{
    /// <summary>Nothing: the weighted sum itself (micrograd's last layer).</summary>
    Linear,
    /// <summary>tanh, squashing into (-1, 1) (the lecture's network).</summary>
    Tanh,
    /// <summary>max(0, x) (micrograd's hidden layers).</summary>
    ReLU,
}
