using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Micrograd.Pictures.Graphs;

/// <summary>
/// Draws a computation graph as micrograd's draw_dot does: each value a record box
/// { label | data | grad }, each op a small oval between its inputs and its output.
/// </summary>
internal sealed class GraphDrawing
{
    /// <summary>The picture's own background: every stroke and text is chosen to read on it.</summary>
    public const string Background = "#ffffff";

    private const double BoxHeight = 26, OpHeight = 22, Pad = 8, Margin = 12, TitleHeight = 22;

    private readonly ComputationGraph _graph;
    private readonly GraphOptions _options;
    private readonly int _values;             // layout nodes [0, _values) are values
    private readonly int[] _opNode;           // value → its op node, or -1 for a leaf
    private readonly List<(int From, int To)> _edges = new();
    private readonly double[] _labelW, _dataW, _gradW;
    private readonly LayeredLayout.Result _layout;
    private readonly double _offsetX, _offsetY;

    /// <param name="frames">Every state the graph will be drawn in; boxes are sized to fit them all.</param>
    public GraphDrawing(ComputationGraph graph, GraphOptions options, IReadOnlyList<IReadOnlyList<NodeView>>? frames = null)
    {
        _graph = graph;
        _options = options;
        _values = graph.Nodes.Count;
        frames ??= [graph.Nodes];

        _opNode = new int[_values];
        var mainSize = new List<double>();
        var crossSize = new List<double>();
        bool lr = options.Direction == Direction.LeftToRight;
        _labelW = new double[_values];
        _dataW = new double[_values];
        _gradW = new double[_values];
        for (int v = 0; v < _values; v++)
        {
            _labelW[v] = options.ShowLabels ? Math.Max(16, SvgWriter.TextWidth(graph.Nodes[v].Label) + 2 * Pad) : 0;
            _dataW[v] = frames.Max(f => SvgWriter.TextWidth(DataText(f[v]))) + 2 * Pad;
            _gradW[v] = frames.Max(f => SvgWriter.TextWidth(GradText(f[v]))) + 2 * Pad;
            double w = _labelW[v] + _dataW[v] + _gradW[v];
            mainSize.Add(lr ? w : BoxHeight);
            crossSize.Add(lr ? BoxHeight : w);
        }
        for (int v = 0; v < _values; v++)
        {
            _opNode[v] = -1;
            if (!graph.HasOp(v)) continue;
            double w = Math.Max(OpHeight + 6, SvgWriter.TextWidth(graph.Nodes[v].Op) + 16);
            _opNode[v] = mainSize.Count;
            mainSize.Add(lr ? w : OpHeight);
            crossSize.Add(lr ? OpHeight : w);
            _edges.Add((_opNode[v], v));
        }
        foreach (var e in graph.Edges)
            _edges.Add((e.Child, _opNode[e.Parent] >= 0 ? _opNode[e.Parent] : e.Parent));

        _layout = LayeredLayout.Compute(mainSize.ToArray(), crossSize.ToArray(), _edges);
        _offsetX = Margin;
        _offsetY = Margin + (options.Title is null ? 0 : TitleHeight);
    }

    public double Width => (Horizontal ? _layout.Width : _layout.Height) + 2 * Margin;
    public double Height => (Horizontal ? _layout.Height : _layout.Width) + 2 * Margin + (_options.Title is null ? 0 : TitleHeight);
    private bool Horizontal => _options.Direction == Direction.LeftToRight;

    /// <summary>Centre and size of a layout node in picture coordinates.</summary>
    public (double X, double Y, double W, double H) Box(int node)
    {
        var l = _layout;
        return Horizontal
            ? (_offsetX + l.Main[node], _offsetY + l.Cross[node], l.MainSize[node], l.CrossSize[node])
            : (_offsetX + l.Cross[node], _offsetY + l.Main[node], l.CrossSize[node], l.MainSize[node]);
    }

    public int LayoutNodeCount => _layout.Main.Length;

    /// <summary>Edge crossings left in the layout (between adjacent ranks, long edges counted through their bends).</summary>
    public int Crossings => _layout.Crossings;


    private static string DataText(NodeView n) => "data " + Text.Num(n.Data);
    private static string GradText(NodeView n) => "grad " + Text.Num(n.Grad);

    public string Svg(IReadOnlyList<NodeView>? state = null) =>
        Render(svg => DrawValues(svg, state ?? _graph.Nodes, current: null));

    /// <summary>
    /// Draws everything that does not change (title, edges, ops), then lets the caller draw the
    /// values; <paramref name="footer"/> adds room under the graph, from y = <see cref="Height"/>.
    /// </summary>
    public string Render(Action<SvgWriter> values, double footer = 0, double minWidth = 0)
    {
        double width = Math.Max(Width, minWidth);
        var svg = new SvgWriter(width, Height + footer, "mg-graph");
        // Its own light background, so edges and text read on a dark page (VS Code, JupyterLab) too.
        svg.Rect(0, 0, width, Height + footer, $"class=\"mg-background\" fill=\"{Background}\"", 4);
        if (_options.Title is { } title) svg.Text(Width / 2, Margin + 7, title, style: "font-weight=\"bold\"");
        svg.Open("g", "class=\"edges\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\"");
        for (int i = 0; i < _edges.Count; i++) DrawEdge(svg, i);
        svg.Close("g");
        for (int v = 0; v < _values; v++)
        {
            if (_opNode[v] < 0) continue;
            var (x, y, w, h) = Box(_opNode[v]);
            svg.Open("g", "class=\"node op\"")
               .Ellipse(x, y, w / 2, h / 2, "fill=\"#f2f2f2\" stroke=\"#555\"")
               .Text(x, y, _graph.Nodes[v].Op)
               .Close("g");
        }
        values(svg);
        return svg.End();
    }

    public void DrawValues(SvgWriter svg, IReadOnlyList<NodeView> state, int? current)
    {
        double maxGrad = state.Select(n => Math.Abs(n.Grad)).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        for (int v = 0; v < _values; v++)
        {
            var n = state[v];
            var (x, y, w, h) = Box(v);
            double left = x - w / 2, top = y - h / 2;
            bool highlighted = current == v || _options.Highlight.Any(o => ReferenceEquals(o, _graph.Sources[v]));
            string title = $"{(n.Label.Length > 0 ? n.Label + ": " : "")}data {n.Data.ToString("R", CultureInfo.InvariantCulture)}, grad {n.Grad.ToString("R", CultureInfo.InvariantCulture)}";
            svg.Open("g", "class=\"node value\"").Title(title);
            svg.Rect(left, top, w, h, "fill=\"#ffffff\" stroke=\"none\"", 3);
            double gx = left + _labelW[v] + _dataW[v];
            if (_options.ColorByGrad && n.Grad != 0 && maxGrad > 0 && double.IsFinite(n.Grad))
            {
                double strength = 0.15 + 0.6 * Math.Abs(n.Grad) / maxGrad;
                string colour = n.Grad > 0 ? "#2e9d4a" : "#d43c3c";
                svg.Rect(gx, top, _gradW[v], h, $"fill=\"{colour}\" fill-opacity=\"{Text.Coord(strength)}\" stroke=\"none\"");
            }
            if (_labelW[v] > 0)
            {
                svg.Text(left + _labelW[v] / 2, y, n.Label, style: "font-weight=\"bold\"");
                svg.Line(left + _labelW[v], top, left + _labelW[v], top + h, "stroke=\"#555\"");
            }
            svg.Text(left + _labelW[v] + _dataW[v] / 2, y, DataText(n));
            svg.Line(gx, top, gx, top + h, "stroke=\"#555\"");
            svg.Text(gx + _gradW[v] / 2, y, GradText(n));
            svg.Rect(left, top, w, h, highlighted
                ? "fill=\"none\" stroke=\"#f08c00\" stroke-width=\"3\""
                : "fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\"", 3);
            svg.Close("g");
        }
    }

    /// <summary>A smooth curve through the edge's dummy points, leaving the source's far side and entering the target's near side.</summary>
    private void DrawEdge(SvgWriter svg, int i)
    {
        var pts = _layout.EdgePoints[i].Select(p => Horizontal
            ? (X: _offsetX + p[0], Y: _offsetY + p[1])
            : (X: _offsetX + p[1], Y: _offsetY + p[0])).ToArray();
        var (from, to) = _edges[i];
        var a = Box(from);
        var b = Box(to);
        pts[0] = Horizontal ? (a.X + a.W / 2, a.Y) : (a.X, a.Y + a.H / 2);
        const double arrow = 7;
        var end = Horizontal ? (X: b.X - b.W / 2, b.Y) : (b.X, Y: b.Y - b.H / 2);
        pts[^1] = Horizontal ? (end.X - arrow, end.Y) : (end.X, end.Y - arrow);

        var d = new StringBuilder($"M{Text.Coord(pts[0].X)},{Text.Coord(pts[0].Y)}");
        for (int k = 1; k < pts.Length; k++)
        {
            var (p, q) = (pts[k - 1], pts[k]);
            if (Horizontal)
            {
                double mid = (p.X + q.X) / 2;
                d.Append($" C{Text.Coord(mid)},{Text.Coord(p.Y)} {Text.Coord(mid)},{Text.Coord(q.Y)} {Text.Coord(q.X)},{Text.Coord(q.Y)}");
            }
            else
            {
                double mid = (p.Y + q.Y) / 2;
                d.Append($" C{Text.Coord(p.X)},{Text.Coord(mid)} {Text.Coord(q.X)},{Text.Coord(mid)} {Text.Coord(q.X)},{Text.Coord(q.Y)}");
            }
        }
        d.Append($" L{Text.Coord(end.X)},{Text.Coord(end.Y)}");
        svg.Path(d.ToString(), "class=\"edge\"");
        string head = Horizontal
            ? $"M{Text.Coord(end.X)},{Text.Coord(end.Y)} l{-arrow},-3.5 v7 z"
            : $"M{Text.Coord(end.X)},{Text.Coord(end.Y)} l-3.5,{-arrow} h7 z";
        svg.Path(head, "fill=\"#555\" stroke=\"none\"");

        int graphEdge = i - (_edges.Count - _graph.Edges.Count);
        if (graphEdge >= 0 && _graph.Edges[graphEdge].Count > 1)
        {
            var mid = pts[pts.Length / 2];
            svg.Text(mid.X, mid.Y - 8, "×" + _graph.Edges[graphEdge].Count, style: "fill=\"#b35900\" stroke=\"none\" font-weight=\"bold\"");
        }
    }
}
