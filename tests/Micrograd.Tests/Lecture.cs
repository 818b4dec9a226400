using System;
using Micrograd;

namespace Micrograd.Tests;

/// <summary>The lecture's running examples, built as the lecture builds them.</summary>
internal static class Lecture
{
    public sealed record Expression(Value A, Value B, Value C, Value E, Value D, Value F, Value L);

    /// <summary>L = (a*b + c) * f with a=2, b=-3, c=10, f=-2, every value labelled; not yet back-propagated.</summary>
    public static Expression L()
    {
        var a = new Value(2.0, "a");
        var b = new Value(-3.0, "b");
        var c = new Value(10.0, "c");
        var e = a * b; e.Label = "e";
        var d = e + c; d.Label = "d";
        var f = new Value(-2.0, "f");
        var L = d * f; L.Label = "L";
        return new Expression(a, b, c, e, d, f, L);
    }

    public sealed record NeuronValues(Value O, Value X1, Value X2, Value W1, Value W2);

    /// <summary>The tanh neuron x1=2, x2=0, w1=-3, w2=1, b=6.8813735870195432, with the given activation, back-propagated.</summary>
    public static NeuronValues Neuron(Func<Value, Value> activation)
    {
        var x1 = new Value(2.0, "x1");
        var x2 = new Value(0.0, "x2");
        var w1 = new Value(-3.0, "w1");
        var w2 = new Value(1.0, "w2");
        var b = new Value(6.8813735870195432, "b");
        var n = x1 * w1 + x2 * w2 + b; n.Label = "n";
        var o = activation(n); o.Label = "o";
        o.Backward();
        return new NeuronValues(o, x1, x2, w1, w2);
    }

    public static Value TanhFromExp(Value n)
    {
        var e = (2 * n).Exp();
        return (e - 1) / (e + 1);
    }
}
