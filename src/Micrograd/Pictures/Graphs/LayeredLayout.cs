using System;
using System.Collections.Generic;
using System.Linq;

namespace Micrograd.Pictures.Graphs;

/// <summary>
/// A layered (Sugiyama-style) layout of a directed acyclic graph, in two abstract axes: "main",
/// along which every edge runs forward (left→right or top→bottom), and "cross", across it.
/// <list type="number">
/// <item>Ranks: longest path from the sources, then every node pulled forward to just before its
/// nearest user, so leaves sit next to what consumes them (as Graphviz's rank minimisation does).</item>
/// <item>Edges longer than one rank get invisible dummy nodes at the ranks they pass.</item>
/// <item>Order within a rank: barycentre sweeps down and up, keeping the order with fewest crossings.</item>
/// <item>Cross positions: each node wants the mean position of its neighbours; within a rank the
/// order and the spacing are constraints, and the least-squares placement under them is found
/// exactly with pool-adjacent-violators.</item>
/// </list>
/// </summary>
internal static class LayeredLayout
{
    public const double RankGap = 36, NodeGap = 14, DummyBreadth = 6;

    public sealed record Result(double[] Main, double[] Cross, double[] MainSize, double[] CrossSize,
                                int[] Rank, IReadOnlyList<double[][]> EdgePoints, double Width, double Height,
                                int Crossings, IReadOnlyList<IReadOnlyList<int>> Layers);

    /// <param name="mainSize">Each node's extent along the main axis.</param>
    /// <param name="crossSize">Each node's extent across it.</param>
    /// <param name="edges">Edges (from, to); the graph must be acyclic.</param>
    public static Result Compute(double[] mainSize, double[] crossSize, IReadOnlyList<(int From, int To)> edges)
    {
        int n = mainSize.Length;
        int[] rank = Ranks(n, edges);

        // Split long edges with dummy nodes, one per rank passed.
        var rankOf = rank.ToList();
        var mSize = mainSize.ToList();
        var cSize = crossSize.ToList();
        var segments = new List<(int From, int To)>();
        var chains = new List<List<int>>();
        foreach (var (from, to) in edges)
        {
            var chain = new List<int> { from };
            for (int r = rank[from] + 1; r < rank[to]; r++)
            {
                rankOf.Add(r);
                mSize.Add(0);
                cSize.Add(DummyBreadth);
                chain.Add(rankOf.Count - 1);
            }
            chain.Add(to);
            for (int i = 0; i + 1 < chain.Count; i++) segments.Add((chain[i], chain[i + 1]));
            chains.Add(chain);
        }
        int total = rankOf.Count;
        var preds = Adjacency(total, segments, reverse: true);
        var succs = Adjacency(total, segments, reverse: false);
        int ranks = rankOf.Max() + 1;

        var layers = Order(rankOf, ranks, preds, succs);
        var cross = Place(layers, cSize, preds, succs);

        // Main axis: each rank as wide as its widest node, ranks separated by a fixed gap.
        var rankWidth = new double[ranks];
        for (int v = 0; v < total; v++) rankWidth[rankOf[v]] = Math.Max(rankWidth[rankOf[v]], mSize[v]);
        var rankStart = new double[ranks];
        for (int r = 1; r < ranks; r++) rankStart[r] = rankStart[r - 1] + rankWidth[r - 1] + RankGap;
        var main = Enumerable.Range(0, total).Select(v => rankStart[rankOf[v]] + rankWidth[rankOf[v]] / 2).ToArray();

        double minCross = Enumerable.Range(0, total).Min(v => cross[v] - cSize[v] / 2);
        for (int v = 0; v < total; v++) cross[v] -= minCross;
        double height = Enumerable.Range(0, total).Max(v => cross[v] + cSize[v] / 2);
        double width = rankStart[ranks - 1] + rankWidth[ranks - 1];

        var points = chains.Select(chain => chain.Select(v => new[] { main[v], cross[v] }).ToArray()).ToArray();
        return new Result(main[..n], cross[..n], mainSize, crossSize, rank, points, width, height, Crossings(layers, succs), layers);
    }

    private static List<int>[] Adjacency(int count, List<(int From, int To)> edges, bool reverse)
    {
        var adj = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        foreach (var (from, to) in edges)
            (reverse ? adj[to] : adj[from]).Add(reverse ? from : to);
        return adj;
    }

    /// <summary>Longest path from the sources, then each node with users moved up to just before its nearest one.</summary>
    private static int[] Ranks(int n, IReadOnlyList<(int From, int To)> edges)
    {
        var succs = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        var indegree = new int[n];
        foreach (var (from, to) in edges)
        {
            succs[from].Add(to);
            indegree[to]++;
        }
        var topo = new List<int>(n);
        var ready = new Queue<int>(Enumerable.Range(0, n).Where(v => indegree[v] == 0));
        while (ready.Count > 0)
        {
            int v = ready.Dequeue();
            topo.Add(v);
            foreach (int s in succs[v])
                if (--indegree[s] == 0) ready.Enqueue(s);
        }
        if (topo.Count != n) throw new InvalidOperationException("the graph has a cycle; a computation graph cannot");

        var rank = new int[n];
        foreach (int v in topo)
            foreach (int s in succs[v])
                rank[s] = Math.Max(rank[s], rank[v] + 1);
        for (int i = n - 1; i >= 0; i--)
        {
            int v = topo[i];
            if (succs[v].Count > 0) rank[v] = succs[v].Min(s => rank[s]) - 1;
        }
        int lowest = rank.Min();
        return rank.Select(r => r - lowest).ToArray();
    }

    /// <summary>Barycentre ordering: a few sweeps each way, keeping the best order seen.</summary>
    private static List<int>[] Order(List<int> rankOf, int ranks, List<int>[] preds, List<int>[] succs)
    {
        var layers = Enumerable.Range(0, ranks).Select(_ => new List<int>()).ToArray();
        // Start from node order (the order the graph was walked from its root), so the result is deterministic.
        for (int v = 0; v < rankOf.Count; v++) layers[rankOf[v]].Add(v);
        var best = OrderFrom(layers, preds, succs);
        int bestCrossings = Crossings(best, succs);
        // The heuristics can stall in a local minimum; a few more starts from shuffled orders, with
        // fixed seeds so that the same graph always gets the same picture, usually get out of it.
        int nodes = rankOf.Count;
        for (int start = 1; start <= Restarts && bestCrossings > 0 && nodes <= RestartLimit; start++)
        {
            var random = new Random(start);
            var shuffled = layers.Select(l => l.OrderBy(_ => random.Next()).ToList()).ToArray();
            var candidate = OrderFrom(shuffled, preds, succs);
            int crossings = Crossings(candidate, succs);
            if (crossings < bestCrossings) (best, bestCrossings) = (candidate, crossings);
        }
        return best;
    }

    /// <summary>How many shuffled starts the ordering tries when the first leaves crossings.</summary>
    private const int Restarts = 16;

    /// <summary>
    /// Work limits, in layout nodes (values, ops and the bends of long edges): restarts and sifting
    /// are for the small graphs a reader studies; a big tangled graph gets the plain sweeps, in
    /// milliseconds rather than minutes.
    /// </summary>
    private const int RestartLimit = 400, SiftLimit = 200;

    private static List<int>[] OrderFrom(List<int>[] layers, List<int>[] preds, List<int>[] succs)
    {
        int ranks = layers.Length;
        layers = layers.Select(l => l.ToList()).ToArray();
        var best = layers.Select(l => l.ToList()).ToArray();
        int bestCrossings = Crossings(layers, succs);
        for (int sweep = 0; sweep < 12 && bestCrossings > 0; sweep++)
        {
            bool down = sweep % 2 == 0;
            for (int k = 1; k < ranks; k++)
            {
                int r = down ? k : ranks - 1 - k;
                var fixedLayer = layers[down ? r - 1 : r + 1];
                var position = new Dictionary<int, int>();
                for (int i = 0; i < fixedLayer.Count; i++) position[fixedLayer[i]] = i;
                var neighbours = down ? preds : succs;
                var current = layers[r];
                var keyed = current.Select((v, i) =>
                {
                    var ps = neighbours[v].Where(position.ContainsKey).Select(u => (double)position[u]).ToList();
                    return (v, key: ps.Count > 0 ? ps.Average() : i, i);
                }).OrderBy(t => t.key).ThenBy(t => t.i).Select(t => t.v).ToList();
                layers[r] = keyed;
            }
            Transpose(layers, preds, succs);
            int crossings = Crossings(layers, succs);
            if (crossings < bestCrossings)
            {
                bestCrossings = crossings;
                best = layers.Select(l => l.ToList()).ToArray();
            }
        }
        if (bestCrossings > 0) Transpose(best, preds, succs);
        if (best.Sum(l => l.Count) <= SiftLimit && Crossings(best, succs) > 0) Sift(best, preds, succs);
        return best;
    }

    /// <summary>
    /// Sifting: each node in turn tries every place in its rank and keeps the one with the fewest
    /// crossings with the ranks on either side (the first such place, so the result is
    /// deterministic). It moves a node past several others at once, which swaps of neighbours cannot.
    /// </summary>
    private static void Sift(List<int>[] layers, List<int>[] preds, List<int>[] succs)
    {
        int Local(int r) => (r > 0 ? Between(layers[r - 1], layers[r], succs) : 0) +
                            (r + 1 < layers.Length ? Between(layers[r], layers[r + 1], succs) : 0);
        for (int round = 0; round < 4; round++)
        {
            bool improved = false;
            for (int r = 0; r < layers.Length; r++)
            {
                var layer = layers[r];
                foreach (int v in layer.ToArray())
                {
                    int current = Local(r), from = layer.IndexOf(v);
                    layer.RemoveAt(from);
                    int bestAt = from, best = current;
                    for (int at = 0; at <= layer.Count; at++)
                    {
                        if (at == from) continue;
                        layer.Insert(at, v);
                        int c = Local(r);
                        layer.RemoveAt(at);
                        if (c < best) (best, bestAt) = (c, at);
                    }
                    layer.Insert(bestAt, v);
                    if (best < current) improved = true;
                }
            }
            if (!improved) break;
        }
    }

    /// <summary>Crossings between the edges from one rank to the next.</summary>
    private static int Between(List<int> upper, List<int> lower, List<int>[] succs)
    {
        var next = new Dictionary<int, int>();
        for (int i = 0; i < lower.Count; i++) next[lower[i]] = i;
        var segs = new List<(int A, int B)>();
        for (int i = 0; i < upper.Count; i++)
            foreach (int s in succs[upper[i]])
                if (next.TryGetValue(s, out int j)) segs.Add((i, j));
        int total = 0;
        for (int a = 0; a < segs.Count; a++)
            for (int b = a + 1; b < segs.Count; b++)
                if ((segs[a].A - segs[b].A) * (segs[a].B - segs[b].B) < 0) total++;
        return total;
    }

    /// <summary>
    /// Swaps neighbours within a rank while that removes crossings with the ranks on either side:
    /// the local fix that barycentres miss (two inputs of one op fed from opposite sides).
    /// </summary>
    private static void Transpose(List<int>[] layers, List<int>[] preds, List<int>[] succs)
    {
        var position = new Dictionary<int, int>();
        foreach (var layer in layers)
            for (int i = 0; i < layer.Count; i++) position[layer[i]] = i;
        int Pair(int u, int v) // crossings between u's and v's edges when u is just above v
        {
            int c = 0;
            foreach (var adj in new[] { preds, succs })
                foreach (int a in adj[u])
                    foreach (int b in adj[v])
                        if (position[a] > position[b]) c++;
            return c;
        }
        for (int round = 0; round < 8; round++)
        {
            bool improved = false;
            foreach (var layer in layers)
                for (int i = 0; i + 1 < layer.Count; i++)
                {
                    int u = layer[i], v = layer[i + 1];
                    if (Pair(v, u) >= Pair(u, v)) continue;
                    (layer[i], layer[i + 1]) = (v, u);
                    position[u] = i + 1;
                    position[v] = i;
                    improved = true;
                }
            if (!improved) break;
        }
    }

    /// <summary>Edge crossings between adjacent ranks, counted pair by pair.</summary>
    internal static int Crossings(List<int>[] layers, List<int>[] succs)
    {
        int total = 0;
        for (int r = 0; r + 1 < layers.Length; r++) total += Between(layers[r], layers[r + 1], succs);
        return total;
    }

    /// <summary>Cross-axis positions: nodes drawn towards their neighbours, never overlapping, order kept.</summary>
    private static double[] Place(List<int>[] layers, List<double> size, List<int>[] preds, List<int>[] succs)
    {
        var pos = new double[size.Count];
        foreach (var layer in layers)
        {
            double y = 0;
            foreach (int v in layer)
            {
                pos[v] = y + size[v] / 2;
                y += size[v] + NodeGap;
            }
        }
        for (int iteration = 0; iteration < 24; iteration++)
        {
            bool down = iteration % 2 == 0;
            for (int k = 0; k < layers.Length; k++)
            {
                var layer = layers[down ? k : layers.Length - 1 - k];
                var wanted = layer.Select(v =>
                {
                    var around = preds[v].Concat(succs[v]).ToList();
                    return around.Count > 0 ? around.Average(u => pos[u]) : pos[v];
                }).ToArray();
                var placed = Isotonic(wanted, layer.Select(v => size[v]).ToArray());
                for (int i = 0; i < layer.Count; i++) pos[layer[i]] = placed[i];
            }
        }
        return pos;
    }

    /// <summary>
    /// The positions closest (least squares) to the wanted ones such that consecutive nodes keep
    /// their order and stay (size/2 + gap + size/2) apart. Subtracting each node's minimum offset
    /// turns this into a monotone regression, solved exactly by pooling adjacent violators.
    /// </summary>
    internal static double[] Isotonic(double[] wanted, double[] size)
    {
        int n = wanted.Length;
        var offset = new double[n];
        for (int i = 1; i < n; i++) offset[i] = offset[i - 1] + size[i - 1] / 2 + NodeGap + size[i] / 2;
        var blocks = new List<(double Sum, int Count)>();
        for (int i = 0; i < n; i++)
        {
            blocks.Add((wanted[i] - offset[i], 1));
            while (blocks.Count > 1 && blocks[^2].Sum / blocks[^2].Count > blocks[^1].Sum / blocks[^1].Count)
            {
                var last = blocks[^1];
                blocks.RemoveAt(blocks.Count - 1);
                blocks[^1] = (blocks[^1].Sum + last.Sum, blocks[^1].Count + last.Count);
            }
        }
        var result = new double[n];
        int at = 0;
        foreach (var (sum, count) in blocks)
            for (int j = 0; j < count; j++, at++)
                result[at] = sum / count + offset[at];
        return result;
    }
}
