using System;
using System.Collections.Generic;
using System.Linq;

namespace Micrograd.Pictures.Graphs;

/// <summary>What a graph shows of one value: its label, data, grad and the op that made it ("" for a leaf).</summary>
public sealed record NodeView(string Label, double Data, double Grad, string Op);

/// <summary>
/// The values reachable from a root and the edges between them (child → the value computed from it),
/// read through two small functions so that any value class can be drawn: the engine's
/// <see cref="Value"/>, or the one a notebook builds by hand.
/// </summary>
public sealed class ComputationGraph
{
    private readonly bool[] _hasInputs;

    private ComputationGraph(IReadOnlyList<object> sources, IReadOnlyList<NodeView> nodes, IReadOnlyList<GraphEdge> edges)
    {
        Sources = sources;
        Nodes = nodes;
        Edges = edges;
        _hasInputs = new bool[nodes.Count];
        foreach (var e in edges) _hasInputs[e.Parent] = true;
    }

    /// <summary>True when the node was computed from others in this graph: it gets an op oval.</summary>
    public bool HasOp(int node) => _hasInputs[node] && Nodes[node].Op.Length > 0;

    /// <summary>The original value objects, index for index with <see cref="Nodes"/>; the root is first.</summary>
    public IReadOnlyList<object> Sources { get; }

    public IReadOnlyList<NodeView> Nodes { get; }

    /// <summary>Each distinct child → parent pair once; Count says how often the parent uses the child (2 for a + a).</summary>
    public IReadOnlyList<GraphEdge> Edges { get; }

    public static ComputationGraph Of(Value root) =>
        From(root, v => v.Children, v => new NodeView(v.Label, v.Data, v.Grad, v.Op));

    /// <summary>
    /// Walks from the root with an explicit stack (no recursion, so any depth works), meeting each
    /// object once by reference, children in operand order.
    /// </summary>
    public static ComputationGraph From<T>(T root, Func<T, IEnumerable<T>> children, Func<T, NodeView> view) where T : class
    {
        var index = new Dictionary<T, int>(ReferenceEqualityComparer.Instance);
        var order = new List<T>();
        var edgeCounts = new Dictionary<(int, int), int>();
        var edgeOrder = new List<(int Child, int Parent)>();
        var stack = new Stack<T>();
        index[root] = 0;
        order.Add(root);
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            int parent = index[node];
            var discovered = new List<T>();
            foreach (var child in children(node) ?? Enumerable.Empty<T>())
            {
                if (child is null) continue;
                if (!index.TryGetValue(child, out int c))
                {
                    c = order.Count;
                    index[child] = c;
                    order.Add(child);
                    discovered.Add(child);
                }
                if (edgeCounts.TryGetValue((c, parent), out int n))
                    edgeCounts[(c, parent)] = n + 1;
                else
                {
                    edgeCounts[(c, parent)] = 1;
                    edgeOrder.Add((c, parent));
                }
            }
            for (int i = discovered.Count - 1; i >= 0; i--)
                stack.Push(discovered[i]);
        }
        return new ComputationGraph(order.Cast<object>().ToArray(), order.Select(view).ToArray(),
            edgeOrder.Select(e => new GraphEdge(e.Child, e.Parent, edgeCounts[e])).ToArray());
    }

    /// <summary>How many values were made by each op, for the summary of a graph too big to draw.</summary>
    public IReadOnlyList<(string Op, int Count)> OpCounts() =>
        Nodes.Where(n => n.Op.Length > 0).GroupBy(n => n.Op)
            .Select(g => (g.Key, g.Count())).OrderByDescending(p => p.Item2).ThenBy(p => p.Key, StringComparer.Ordinal).ToArray();

    /// <summary>The longest chain of operations from a leaf to the root.</summary>
    public int Depth()
    {
        // Nodes are in discovery order from the root; a child can be discovered before a parent
        // that also uses it, so compute depth by relaxing over a topological order (Kahn).
        var users = new int[Nodes.Count];
        var kids = new List<int>[Nodes.Count];
        for (int i = 0; i < kids.Length; i++) kids[i] = new List<int>();
        foreach (var e in Edges)
        {
            users[e.Child]++;
            kids[e.Parent].Add(e.Child);
        }
        var depth = new int[Nodes.Count];
        var ready = new Stack<int>(Enumerable.Range(0, Nodes.Count).Where(i => users[i] == 0));
        int max = 0;
        while (ready.Count > 0)
        {
            int v = ready.Pop();
            max = Math.Max(max, depth[v]);
            foreach (int c in kids[v])
            {
                depth[c] = Math.Max(depth[c], depth[v] + 1);
                if (--users[c] == 0) ready.Push(c);
            }
        }
        return max;
    }
}

/// <summary>An edge from a child value to the value computed from it, used Count times.</summary>
public sealed record GraphEdge(int Child, int Parent, int Count);
