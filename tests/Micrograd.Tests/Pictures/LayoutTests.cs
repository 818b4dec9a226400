using System.Collections.Generic;
using System.Linq;
using Micrograd;
using Micrograd.Pictures.Graphs;

namespace Micrograd.Tests.Pictures;

public sealed class LayoutTests
{
    /// <summary>Notebook 05's composite neuron: tanh spelled out as (e − 1) / (e + 1) with e = exp(2n).</summary>
    internal static Value CompositeNeuron()
    {
        var x1 = new Value(2.0, "x1"); var x2 = new Value(0.0, "x2");
        var w1 = new Value(-3.0, "w1"); var w2 = new Value(1.0, "w2");
        var b = new Value(6.8813735870195432, "b");
        var n = x1 * w1 + x2 * w2 + b; n.Label = "n";
        var e = (2 * n).Exp(); e.Label = "e";
        var o = (e - 1) / (e + 1); o.Label = "o";
        o.Backward();
        return o;
    }

    public static IEnumerable<object[]> Graphs()
    {
        yield return ["05's tanh from exp, +, − and /", CompositeNeuron()];
        yield return ["tests' tanh from exp (e unlabelled)", GraphTests.Neuron(Lecture.TanhFromExp)];
        yield return ["tanh neuron", GraphTests.Neuron(v => v.Tanh())];
        yield return ["L = d*f", GraphTests.LectureL()];
        yield return ["one neuron of an MLP", Micrograd.Nn.MLP.Lecture(3, [4, 4, 1], seed: 42).Layers[0].Neurons[0].Call([2.0, 3.0, -1.0])];
    }

    [Theory, MemberData(nameof(Graphs))]
    public void The_course_graphs_are_drawn_without_crossing_edges(string name, Value root)
    {
        var drawing = new GraphDrawing(ComputationGraph.Of(root), new GraphOptions());
        Assert.True(drawing.Crossings == 0, $"{name}: {drawing.Crossings} edge crossings");
    }

    [Fact]
    public void The_crossing_count_sees_a_crossing()
    {
        // Two edges a→d and b→c with a above b and c above d cross once.
        var layers = new[] { new List<int> { 0, 1 }, new List<int> { 2, 3 } };
        var succs = new[] { new List<int> { 3 }, new List<int> { 2 }, new List<int>(), new List<int>() };
        Assert.Equal(1, LayeredLayout.Crossings(layers, succs));
    }
}
