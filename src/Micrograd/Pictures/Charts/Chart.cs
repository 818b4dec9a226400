using System;
using System.Collections.Generic;
using System.Linq;
using Micrograd.Data;

using Micrograd.Pictures.Display;

namespace Micrograd.Pictures.Charts;

/// <summary>
/// A 2-D chart: line series, scatter series and an optional filled background (a decision
/// boundary). It is mutable, so a training loop can <see cref="Add"/> points and re-display it
/// as the steps go by. Every render of the same content gives the same SVG bytes.
/// </summary>
[TypeFormatterSource(typeof(FormatterSource))]
public sealed class Chart
{
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    private readonly List<Series> _series = new();
    private Background? _background;

    public string? Title { get; set; }
    public string XLabel { get; set; } = "";
    public string YLabel { get; set; } = "";
    public double Width { get; set; } = 640;
    public double Height { get; set; } = 380;

    /// <summary>Fixed axis ranges; null means "fit the data, rounded out to nice ticks".</summary>
    public (double Min, double Max)? XRange { get; set; }
    public (double Min, double Max)? YRange { get; set; }

    /// <summary>
    /// A logarithmic y axis, for losses that span orders of magnitude: ticks at powers of ten. Points
    /// with y ≤ 0 cannot be drawn on it; the chart says how many it left out.
    /// </summary>
    public bool LogY { get; set; }

    /// <summary>A logarithmic x axis (for a step size h from 1e-15 to 0.1, say); points with x ≤ 0 are left out and counted.</summary>
    public bool LogX { get; set; }

    public Chart(string? title = null, string xLabel = "", string yLabel = "")
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
    }

    internal sealed class Series(string name, string colour, bool scatter, bool dashed)
    {
        public string Name { get; } = name;
        public string Colour { get; } = colour;
        public bool Scatter { get; } = scatter;
        public bool Dashed { get; } = dashed;
        public List<(double X, double Y)> Points { get; } = new();
    }

    internal sealed record Background(double X0, double X1, double Y0, double Y1, double[,] Score);

    internal sealed record Marker(double X, double Y, string Label, string Colour);

    private readonly List<Marker> _marks = new();
    internal IReadOnlyList<Marker> Marks => _marks;

    internal IReadOnlyList<Series> AllSeries => _series;
    internal Background? Fill => _background;

    /// <summary>A line through the points, in order.</summary>
    public Chart Line(string name, IEnumerable<double> xs, IEnumerable<double> ys, string? colour = null, bool dashed = false)
    {
        var s = NewSeries(name, colour, scatter: false, dashed);
        s.Points.AddRange(Zip(name, xs, ys));
        return this;
    }

    /// <summary>A line through the points (1, y₁), (2, y₂), …: a loss curve by step.</summary>
    public Chart Line(string name, IEnumerable<double> ys, string? colour = null, bool dashed = false)
    {
        var list = ys.ToList();
        return Line(name, Enumerable.Range(0, list.Count).Select(i => (double)i), list, colour, dashed);
    }

    /// <summary>The graph of f on [from, to], sampled at evenly spaced points.</summary>
    public Chart Function(string name, Func<double, double> f, double from, double to, int samples = 200, string? colour = null, bool dashed = false)
    {
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "a function needs at least 2 samples");
        var xs = Enumerable.Range(0, samples).Select(i => from + (to - from) * i / (samples - 1)).ToArray();
        return Line(name, xs, xs.Select(f), colour, dashed);
    }

    /// <summary>Separate points.</summary>
    public Chart Scatter(string name, IEnumerable<double> xs, IEnumerable<double> ys, string? colour = null)
    {
        var s = NewSeries(name, colour, scatter: true, dashed: false);
        s.Points.AddRange(Zip(name, xs, ys));
        return this;
    }

    /// <summary>A dataset's points, one colour per class.</summary>
    public Chart Scatter(Dataset data)
    {
        foreach (var label in data.Y.Distinct().OrderBy(y => y))
        {
            var idx = Enumerable.Range(0, data.Count).Where(i => data.Y[i] == label).ToArray();
            Scatter($"class {(label > 0 ? "+" : "")}{label}", idx.Select(i => data.X[i][0]), idx.Select(i => data.X[i][1]),
                    label > 0 ? "#184a8c" : "#a32a17");
        }
        return this;
    }

    /// <summary>Marks one point with a dot and a label: the point where a tangent touches, a minimum, a chosen step.</summary>
    public Chart Mark(double x, double y, string label = "", string colour = "#d62728")
    {
        _marks.Add(new Marker(x, y, label, colour));
        return this;
    }

    /// <summary>Appends one point to a line series (made if new): the live loss curve of a training loop.</summary>
    public Chart Add(string series, double x, double y)
    {
        var s = _series.FirstOrDefault(s => s.Name == series) ?? NewSeries(series, null, scatter: false, dashed: false);
        s.Points.Add((x, y));
        return this;
    }

    /// <summary>
    /// Fills the region with a model's score on a grid: blue where the score is positive, red where
    /// negative, paler near zero; the boundary between them is where the model changes its mind.
    /// </summary>
    public Chart Boundary(Func<double, double, double> score, double x0, double x1, double y0, double y1, int resolution = 48)
    {
        if (resolution < 2) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "use at least a 2×2 grid");
        var grid = new double[resolution, resolution];
        for (int j = 0; j < resolution; j++)
            for (int i = 0; i < resolution; i++)
                grid[j, i] = score(x0 + (x1 - x0) * (i + 0.5) / resolution, y0 + (y1 - y0) * (j + 0.5) / resolution);
        _background = new Background(x0, x1, y0, y1, grid);
        XRange ??= (x0, x1);
        YRange ??= (y0, y1);
        return this;
    }

    /// <summary>micrograd's demo picture: the model's decision regions under the data points.</summary>
    public static Chart DecisionBoundary(Func<double, double, double> score, Dataset data, int resolution = 48, string? title = null)
    {
        double pad = 0.25;
        double xMin = data.X.Min(p => p[0]) - pad, xMax = data.X.Max(p => p[0]) + pad;
        double yMin = data.X.Min(p => p[1]) - pad, yMax = data.X.Max(p => p[1]) + pad;
        return new Chart(title, "x", "y").Boundary(score, xMin, xMax, yMin, yMax, resolution).Scatter(data);
    }

    public Picture ToPicture() => new(ChartDrawing.Render(this));

    public override string ToString() =>
        $"Chart '{Title}': " + string.Join(", ", _series.Select(s => $"{s.Name} ({s.Points.Count} points)"));

    private Series NewSeries(string name, string? colour, bool scatter, bool dashed)
    {
        var s = new Series(name, colour ?? Palette[_series.Count % Palette.Length], scatter, dashed);
        _series.Add(s);
        return s;
    }

    private static IEnumerable<(double, double)> Zip(string name, IEnumerable<double> xs, IEnumerable<double> ys)
    {
        var x = xs.ToList();
        var y = ys.ToList();
        if (x.Count != y.Count)
            throw new ArgumentException($"series '{name}': {x.Count} x values but {y.Count} y values");
        return x.Zip(y);
    }
}
