using System;
using System.Collections.Generic;
using System.Linq;

namespace Micrograd.Nn;

/// <summary>A row of neurons that all see the same input.</summary>
public sealed class Layer : Module
{
    public IReadOnlyList<Neuron> Neurons { get; }

    public Layer(int nin, int nout, Activation activation, Random random, bool randomBias = false)
    {
        if (nout < 1) throw new ArgumentOutOfRangeException(nameof(nout), nout, "a layer needs at least one neuron");
        Neurons = Enumerable.Range(0, nout).Select(_ => new Neuron(nin, activation, random, randomBias)).ToArray();
    }

    /// <summary>Every neuron's output.</summary>
    public Value[] Forward(IReadOnlyList<Value> x) => Neurons.Select(n => n.Call(x)).ToArray();

    /// <summary>The output of a layer of one neuron, as a single Value (micrograd's <c>out[0]</c>).</summary>
    public Value Call(IReadOnlyList<Value> x) =>
        Neurons.Count == 1
            ? Neurons[0].Call(x)
            : throw new InvalidOperationException($"Call: this layer has {Neurons.Count} outputs; use Forward(x) to get all of them");

    public override IReadOnlyList<Value> Parameters() => Neurons.SelectMany(n => n.Parameters()).ToArray();

    public override string ToString() => $"Layer of [{string.Join(", ", Neurons)}]";
}
