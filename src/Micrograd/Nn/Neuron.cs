using System;
using System.Collections.Generic;
using System.Linq;

namespace Micrograd.Nn;

/// <summary>One neuron: act(w · x + b).</summary>
public sealed class Neuron : Module
{
    public IReadOnlyList<Value> W { get; }
    public Value B { get; }
    public Activation Activation { get; }

    /// <param name="nin">How many inputs.</param>
    /// <param name="activation">What to apply to the weighted sum.</param>
    /// <param name="random">Weights are drawn uniformly from [-1, 1] with it.</param>
    /// <param name="randomBias">True: the bias is drawn too (the lecture); false: it starts at 0 (micrograd).</param>
    public Neuron(int nin, Activation activation, Random random, bool randomBias = false)
    {
        if (nin < 1) throw new ArgumentOutOfRangeException(nameof(nin), nin, "a neuron needs at least one input");
        W = Enumerable.Range(0, nin).Select(_ => new Value(Uniform(random))).ToArray();
        B = new Value(randomBias ? Uniform(random) : 0);
        Activation = activation;
    }

    /// <summary>The neuron's output for input x. Like micrograd, the sum starts at b and adds w_i * x_i in order.</summary>
    public Value Call(IReadOnlyList<Value> x)
    {
        if (x.Count != W.Count)
            throw new ArgumentException($"Neuron: expected {W.Count} inputs, got {x.Count}", nameof(x));
        var act = B;
        for (int i = 0; i < W.Count; i++)
            act += W[i] * x[i];
        return Activation switch
        {
            Activation.Tanh => act.Tanh(),
            Activation.ReLU => act.Relu(),
            _ => act,
        };
    }

    /// <summary>The neuron's output for plain numbers.</summary>
    public Value Call(IReadOnlyList<double> x) => Call(x.Select(v => new Value(v)).ToArray());

    public override IReadOnlyList<Value> Parameters() => [.. W, B];

    public override string ToString() => $"{Activation}Neuron({W.Count})";

    internal static double Uniform(Random random) => -1 + 2 * random.NextDouble();
}
