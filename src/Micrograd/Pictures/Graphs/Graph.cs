using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Micrograd.Pictures.Graphs;

/// <summary>Pictures of computation graphs: micrograd's draw_dot, a DOT export, and backprop step by step.</summary>
public static class Graph
{
    /// <summary>Draws the graph of everything the root was computed from.</summary>
    public static Picture Draw(Value root, GraphOptions? options = null) => Draw(ComputationGraph.Of(root), options);

    /// <summary>
    /// Draws any value class: give it how to find a node's children and what to show of a node.
    /// For the notebooks' hand-built Value: <c>Graph.Draw(L, v =&gt; v.Prev, v =&gt; new NodeView(v.Label, v.Data, v.Grad, v.Op))</c>.
    /// </summary>
    public static Picture Draw<T>(T root, Func<T, IEnumerable<T>> children, Func<T, NodeView> view, GraphOptions? options = null)
        where T : class => Draw(ComputationGraph.From(root, children, view), options);

    public static Picture Draw(ComputationGraph graph, GraphOptions? options = null)
    {
        options ??= new GraphOptions();
        if (graph.Nodes.Count > options.MaxNodes) return Summary(graph, options);
        return new Picture(new GraphDrawing(graph, options).Svg());
    }

    /// <summary>The same graph in Graphviz's DOT language, for <c>dot -Tsvg</c>.</summary>
    public static string ToDot(Value root, GraphOptions? options = null) => ToDot(ComputationGraph.Of(root), options);

    public static string ToDot<T>(T root, Func<T, IEnumerable<T>> children, Func<T, NodeView> view, GraphOptions? options = null)
        where T : class => ToDot(ComputationGraph.From(root, children, view), options);

    public static string ToDot(ComputationGraph graph, GraphOptions? options = null)
    {
        options ??= new GraphOptions();
        var dot = new StringBuilder();
        dot.Append("digraph G {\n");
        dot.Append($"  rankdir={(options.Direction == Direction.LeftToRight ? "LR" : "TB")};\n");
        dot.Append("  node [fontname=\"monospace\", fontsize=10];\n");
        for (int v = 0; v < graph.Nodes.Count; v++)
        {
            var n = graph.Nodes[v];
            string fields = $"data {Text.Num(n.Data)} | grad {Text.Num(n.Grad)}";
            if (options.ShowLabels) fields = $"{DotRecord(n.Label)} | {fields}";
            // In LR a record's fields run across; braces keep them across in TB too.
            string label = options.Direction == Direction.LeftToRight ? $"{{ {fields} }}" : fields;
            dot.Append($"  n{v} [shape=record, label=\"{label}\"];\n");
            if (graph.HasOp(v))
            {
                dot.Append($"  n{v}op [shape=ellipse, label=\"{DotString(n.Op)}\"];\n");
                dot.Append($"  n{v}op -> n{v};\n");
            }
        }
        foreach (var e in graph.Edges)
        {
            string target = graph.HasOp(e.Parent) ? $"n{e.Parent}op" : $"n{e.Parent}";
            dot.Append($"  n{e.Child} -> {target}{(e.Count > 1 ? $" [label=\"×{e.Count}\"]" : "")};\n");
        }
        dot.Append("}\n");
        return dot.ToString();
    }

    private static string DotString(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");

    private static string DotRecord(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s)
        {
            if ("{}|<>\"\\ ".Contains(c)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>What a graph too big to read shows instead: its size, its ops and how to draw a part.</summary>
    private static Picture Summary(ComputationGraph graph, GraphOptions options)
    {
        var ops = graph.OpCounts();
        var inv = CultureInfo.InvariantCulture;
        int leaves = graph.Nodes.Count(n => n.Op.Length == 0);
        var lines = new List<string>
        {
            $"Too big to draw legibly: {graph.Nodes.Count.ToString("N0", inv)} values (limit {options.MaxNodes.ToString("N0", inv)}).",
            $"{leaves.ToString("N0", inv)} leaves (inputs, weights, constants), {(graph.Nodes.Count - leaves).ToString("N0", inv)} computed, {graph.Depth().ToString("N0", inv)} operations deep.",
            "ops: " + string.Join(", ", ops.Take(8).Select(o => $"{o.Op} ×{o.Count.ToString("N0", inv)}")) + (ops.Count > 8 ? ", …" : ""),
            $"root: {Describe(graph.Nodes[0])}",
            "To see it, draw a part: e.g. one neuron's output, model.Layers[0].Neurons[0].Call(x),",
            "or raise the limit: Graph.Draw(root, new GraphOptions { MaxNodes = ... }).",
        };
        double width = lines.Max(l => SvgWriter.TextWidth(l)) + 32;
        double height = 24 + 20 * lines.Count;
        var svg = new SvgWriter(width, height, "mg-graph-summary");
        svg.Rect(1, 1, width - 2, height - 2, "fill=\"#fffbe6\" stroke=\"#c9a227\"", 6);
        for (int i = 0; i < lines.Count; i++)
            svg.Text(16, 22 + 20 * i, lines[i], "start", i == 0 ? "font-weight=\"bold\"" : "");
        return new Picture(svg.End());
    }

    private static string Describe(NodeView n) =>
        $"{(n.Label.Length > 0 ? n.Label + " = " : "")}data {Text.Num(n.Data)}, grad {Text.Num(n.Grad)}{(n.Op.Length > 0 ? " (" + n.Op + ")" : "")}";

    // ---- backprop, one node at a time ----

    /// <summary>
    /// Runs backprop on the root one local step at a time and draws the graph after each step:
    /// first all grads 0, then the root's grad set to 1, then each computed node's local backward in
    /// Backward()'s order (leaves have none). Shown with a slider and a play button; without JavaScript the last
    /// frame shows. Afterwards the grads are exactly those of ZeroGrad + Backward().
    /// </summary>
    public static Picture Backprop(Value root, GraphOptions? options = null)
    {
        var graph = ComputationGraph.Of(root);
        var values = graph.Sources.Cast<Value>().ToArray();
        foreach (var v in values) v.Grad = 0;
        var order = root.BackwardOrder().Where(v => v.Op.Length > 0).ToList(); // a leaf has no local step
        return Backprop(root, v => v.Children, v => new NodeView(v.Label, v.Data, v.Grad, v.Op),
            () => root.Grad = 1, order, v => v.BackwardLocal(), options);
    }

    /// <summary>
    /// The step-by-step view for any value class: <paramref name="seed"/> sets the root's grad to 1,
    /// then <paramref name="step"/> runs for each node of <paramref name="order"/>, the graph drawn
    /// after each. Zero the grads before calling.
    /// </summary>
    public static Picture Backprop<T>(T root, Func<T, IEnumerable<T>> children, Func<T, NodeView> view,
        Action seed, IEnumerable<T> order, Action<T> step, GraphOptions? options = null) where T : class
    {
        options ??= new GraphOptions();
        var graph = ComputationGraph.From(root, children, view);
        if (graph.Nodes.Count > options.MaxNodes) return Summary(graph, options);
        var index = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < graph.Sources.Count; i++) index[graph.Sources[i]] = i;
        IReadOnlyList<NodeView> Snapshot() => graph.Sources.Select(s => view((T)s)).ToArray();

        var inputs = Enumerable.Range(0, graph.Nodes.Count).Select(_ => new List<(int Child, int Count)>()).ToArray();
        foreach (var e in graph.Edges) inputs[e.Parent].Add((e.Child, e.Count));

        var steps = order.ToList();
        int stepCount = steps.Count + 1; // the seed, then one per local step
        var frames = new List<(IReadOnlyList<NodeView> State, int? Current, string Caption)>
        {
            (Snapshot(), null, StepCaption.Start),
        };
        seed();
        frames.Add((Snapshot(), 0, StepCaption.Seed(graph.Nodes[0], stepCount)));
        for (int k = 0; k < steps.Count; k++)
        {
            var before = frames[^1].State;
            step(steps[k]);
            var after = Snapshot();
            int at = index.TryGetValue(steps[k], out int i) ? i : -1;
            string caption = at < 0
                ? $"step {k + 2} of {stepCount}: a node outside the graph"
                : StepCaption.Step(k + 2, stepCount, at, inputs[at], before, after);
            frames.Add((after, at >= 0 ? at : null, caption));
        }
        return BackpropView.Render(graph, options, frames);
    }
}
