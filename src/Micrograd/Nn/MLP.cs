using System;
using System.Collections.Generic;
using System.Linq;

namespace Micrograd.Nn;

/// <summary>A multi-layer perceptron: layers applied one after another.</summary>
public sealed class MLP : Module
{
    public IReadOnlyList<Layer> Layers { get; }

    /// <param name="nin">Inputs of the first layer.</param>
    /// <param name="nouts">Neurons of each layer, e.g. [16, 16, 1].</param>
    /// <param name="hidden">Activation of every layer but the last.</param>
    /// <param name="output">Activation of the last layer.</param>
    /// <param name="seed">Seeds the weights, so the same seed gives the same network.</param>
    /// <param name="randomBias">True: biases are drawn from [-1, 1]; false: they start at 0.</param>
    public MLP(int nin, IReadOnlyList<int> nouts, Activation hidden = Activation.ReLU,
               Activation output = Activation.Linear, int seed = 0, bool randomBias = false)
    {
        if (nouts.Count == 0) throw new ArgumentException("an MLP needs at least one layer", nameof(nouts));
        var random = new Random(seed);
        var sizes = new[] { nin }.Concat(nouts).ToArray();
        Layers = Enumerable.Range(0, nouts.Count)
            .Select(i => new Layer(sizes[i], sizes[i + 1], i == nouts.Count - 1 ? output : hidden, random, randomBias))
            .ToArray();
    }

    /// <summary>micrograd's nn.py: ReLU hidden layers, a linear output, biases starting at 0.</summary>
    public static MLP Micrograd(int nin, IReadOnlyList<int> nouts, int seed = 0) =>
        new(nin, nouts, Activation.ReLU, Activation.Linear, seed, randomBias: false);

    /// <summary>The lecture's network: tanh on every layer, weights and biases from [-1, 1].</summary>
    public static MLP Lecture(int nin, IReadOnlyList<int> nouts, int seed = 0) =>
        new(nin, nouts, Activation.Tanh, Activation.Tanh, seed, randomBias: true);

    /// <summary>Every output of the last layer.</summary>
    public Value[] Forward(IReadOnlyList<Value> x)
    {
        Value[] h = x as Value[] ?? x.ToArray();
        foreach (var layer in Layers)
            h = layer.Forward(h);
        return h;
    }

    /// <summary>Every output of the last layer, for plain numbers.</summary>
    public Value[] Forward(IReadOnlyList<double> x) => Forward(x.Select(v => new Value(v)).ToArray());

    /// <summary>The single output of a network whose last layer has one neuron.</summary>
    public Value Call(IReadOnlyList<Value> x)
    {
        var outputs = Forward(x);
        return outputs.Length == 1
            ? outputs[0]
            : throw new InvalidOperationException($"Call: this network has {outputs.Length} outputs; use Forward(x) to get all of them");
    }

    /// <summary>The single output, for plain numbers.</summary>
    public Value Call(IReadOnlyList<double> x) => Call(x.Select(v => new Value(v)).ToArray());

    public override IReadOnlyList<Value> Parameters() => Layers.SelectMany(l => l.Parameters()).ToArray();

    public override string ToString() => $"MLP of [{string.Join(", ", Layers)}]";
}
