using System.Collections.Generic;

namespace Micrograd.Nn;

/// <summary>Anything with trainable parameters.</summary>
public abstract class Module
{
    /// <summary>Every trainable value, in micrograd's order.</summary>
    public abstract IReadOnlyList<Value> Parameters();

    /// <summary>Sets every parameter's grad back to 0, before the next backward pass.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
            p.Grad = 0;
    }
}
