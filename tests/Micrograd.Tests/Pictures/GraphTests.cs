using System;
using System.Collections.Generic;
using System.Linq;
using Micrograd;
using Micrograd.Nn;
using Micrograd.Pictures.Graphs;

namespace Micrograd.Tests.Pictures;

public sealed class GraphTests
{
    /// <summary>The lecture's three graphs: L = d*f, the tanh neuron, and the neuron with tanh built from exp.</summary>
    public static IEnumerable<object[]> LectureGraphs()
    {
        yield return ["L = d*f", LectureL()];
        yield return ["tanh neuron", Neuron(n => n.Tanh())];
        yield return ["tanh from exp", Neuron(Lecture.TanhFromExp)];
    }

    internal static Value LectureL()
    {
        var L = Lecture.L().L;
        L.Backward();
        return L;
    }

    internal static Value Neuron(Func<Value, Value> tanh) => Lecture.Neuron(tanh).O;

    [Theory, MemberData(nameof(LectureGraphs))]
    public void Lecture_graphs_draw_every_value_op_and_edge_without_overlap_left_to_right(string name, Value root)
    {
        var graph = ComputationGraph.Of(root);
        var shapes = new SvgShapes(Graph.Draw(root).Svg);

        Assert.Equal(graph.Nodes.Count, shapes.Values.Count);
        int ops = graph.Nodes.Count(n => n.Op.Length > 0);
        Assert.Equal(ops, shapes.Ops.Count);
        Assert.Equal(ops + graph.Edges.Count, shapes.Edges.Count); // op → value, and child → op
        var boxes = shapes.AllBoxes.ToList();
        for (int i = 0; i < boxes.Count; i++)
            for (int j = i + 1; j < boxes.Count; j++)
                Assert.False(boxes[i].Overlaps(boxes[j]), $"{name}: {boxes[i]} overlaps {boxes[j]}");
        Assert.All(shapes.Edges, e => Assert.True(e.End.X > e.Start.X, $"{name}: edge {e} goes backwards"));
    }

    [Theory, MemberData(nameof(LectureGraphs))]
    public void Top_to_bottom_edges_all_go_down(string name, Value root)
    {
        var shapes = new SvgShapes(Graph.Draw(root, new GraphOptions { Direction = Direction.TopToBottom }).Svg);
        Assert.All(shapes.Edges, e => Assert.True(e.End.Y > e.Start.Y, $"{name}: edge {e} goes up"));
        var boxes = shapes.AllBoxes.ToList();
        Assert.Empty(boxes.SelectMany((a, i) => boxes.Skip(i + 1).Where(b => a.Overlaps(b))));
    }

    [Fact]
    public void Leaves_sit_next_to_their_consumer_so_L_takes_four_columns()
    {
        var shapes = new SvgShapes(Graph.Draw(LectureL()).Svg);
        // Ranks of L = d*f: a b | * | e c | + | d f | * | L → four columns of value boxes.
        Assert.Equal(4, shapes.Values.Select(b => Math.Round(b.X + b.W / 2)).Distinct().Count());
    }

    [Fact]
    public void The_same_graph_gives_the_same_bytes()
    {
        Assert.Equal(Graph.Draw(LectureL()).Svg, Graph.Draw(LectureL()).Svg);
        Assert.Equal(Graph.ToDot(LectureL()), Graph.ToDot(LectureL()));
    }

    [Fact]
    public void Labels_are_escaped_so_markup_shows_as_text()
    {
        var x = new Value(1, "<script>alert('x')</script>");
        var y = x * 2; y.Label = "a & b";
        string svg = Graph.Draw(y).Svg;
        Assert.DoesNotContain("<script>", svg);
        Assert.Contains("&lt;script&gt;", svg);
        Assert.Contains("a &amp; b", svg);
        _ = new SvgShapes(svg);
    }

    [Fact]
    public void Options_colour_highlight_and_hide_labels()
    {
        var root = LectureL();
        var d = root.Children[0];
        string plain = Graph.Draw(root).Svg;
        string coloured = Graph.Draw(root, new GraphOptions { ColorByGrad = true }).Svg;
        Assert.DoesNotContain("#2e9d4a", plain);
        Assert.Contains("#2e9d4a", coloured); // positive grads (a, f, L)
        Assert.Contains("#d43c3c", coloured); // negative grads (b, c, d, e)
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(Graph.Draw(root, new GraphOptions { Highlight = [d] }).Svg, "#f08c00"));
        string unlabelled = Graph.Draw(root, new GraphOptions { ShowLabels = false }).Svg;
        Assert.DoesNotContain(">a</text>", unlabelled);
        Assert.Contains(">a</text>", plain);
    }

    [Fact]
    public void A_value_used_twice_is_one_edge_marked_twice()
    {
        var a = new Value(3, "a");
        var b = a + a; b.Label = "b";
        var graph = ComputationGraph.Of(b);
        Assert.Single(graph.Edges);
        Assert.Equal(2, graph.Edges[0].Count);
        Assert.Contains("×2", Graph.Draw(b).Svg);
        Assert.Contains("[label=\"×2\"]", Graph.ToDot(b));
    }

    [Fact]
    public void Dot_export_has_records_ops_and_edges()
    {
        string dot = Graph.ToDot(LectureL());
        Assert.StartsWith("digraph G {\n  rankdir=LR;", dot);
        Assert.Contains("label=\"{ a | data 2.0000 | grad 6.0000 }\"", dot);
        Assert.Equal(7, dot.Split('\n').Count(l => l.Contains("shape=record")));
        Assert.Equal(3, dot.Split('\n').Count(l => l.Contains("shape=ellipse")));
        Assert.Equal(3 + 6, dot.Split('\n').Count(l => l.Contains("->")));
        Assert.Contains("label=\"{ x\\ \\<\\ 1 |", Graph.ToDot(new Value(1, "x < 1") * 1));
    }

    [Fact]
    public void A_graph_too_big_to_read_is_summarised_with_advice()
    {
        var model = MLP.Micrograd(2, [16, 16, 1], seed: 1);
        var score = model.Call([0.5, -0.5]);
        string svg = Graph.Draw(score).Svg;
        Assert.Contains("Too big to draw legibly", svg);
        Assert.Contains("draw a part", svg);
        Assert.Contains("ReLU ×32", svg);
        Assert.DoesNotContain("class=\"node value\"", svg);
        _ = new SvgShapes(svg);

        // A million nodes: a summary, not a hang or a stack overflow. Each link adds four values:
        // two constants (plain numbers become leaves, as in micrograd), a product and a sum.
        Value y = new Value(1);
        for (int i = 0; i < 250_000; i++) y = y * 1.0 + 1.0;
        Assert.Contains("Too big to draw legibly: 1,000,001 values", Graph.Draw(y).Svg);
    }

    [Fact]
    public void Hand_built_value_classes_draw_through_two_lambdas()
    {
        var a = new HandValue(2, "a", []);
        var b = new HandValue(-3, "b", []);
        var c = new HandValue(-6, "c", [a, b], "*");
        var picture = Graph.Draw(c, v => v.Prev, v => new NodeView(v.Label, v.Data, v.Grad, v.Op));
        var shapes = new SvgShapes(picture.Svg);
        Assert.Equal(3, shapes.Values.Count);
        Assert.Single(shapes.Ops);
        Assert.Contains(">c</text>", picture.Svg);
    }

    [Fact]
    public void Backprop_view_has_a_frame_per_step_shows_the_last_without_script_and_leaves_grads_as_backward_does()
    {
        var o = Neuron(n => n.Tanh());
        var expected = ComputationGraph.Of(o).Sources.Cast<Value>().Select(v => v.Grad).ToArray();
        var picture = Graph.Backprop(o);
        var after = ComputationGraph.Of(o).Sources.Cast<Value>().Select(v => v.Grad).ToArray();
        Assert.Equal(expected, after);

        var doc = new SvgShapes(picture.Svg).Doc;
        var frames = doc.Descendants().Where(e => (string?)e.Attribute("class") == "mg-frame").ToList();
        int computed = ComputationGraph.Of(o).Nodes.Count(n => n.Op.Length > 0);
        Assert.Equal(2 + computed, frames.Count); // before, seed, one per computed node
        Assert.All(frames.Take(frames.Count - 1), f => Assert.Equal("none", (string?)f.Attribute("display")));
        Assert.Null(frames[^1].Attribute("display"));
        Assert.Contains("<script>", picture.Html);
        Assert.Contains("type=\"range\"", picture.Html);
        Assert.DoesNotContain("<script>", picture.Svg);
        Assert.Equal(picture.Html, Graph.Backprop(Neuron(n => n.Tanh())).Html);
    }

    private sealed class HandValue(double data, string label, HandValue[] prev, string op = "")
    {
        public double Data { get; } = data;
        public double Grad { get; set; }
        public string Label { get; } = label;
        public HandValue[] Prev { get; } = prev;
        public string Op { get; } = op;
    }
}
