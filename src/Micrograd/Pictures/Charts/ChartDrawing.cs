using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Micrograd.Pictures.Charts;

/// <summary>
/// Turns a <see cref="Chart"/> into SVG: background, grid, series, marks, axes, legend, and a note
/// for points it could not draw. Margins are measured from the labels, so the title, the tick
/// labels and the axis labels never overlap; the legend goes where it covers no data.
/// </summary>
internal static class ChartDrawing
{
    private const double Right = 18, TickFont = 11, ExponentFont = 9.5, TitleFont = 14, LineHeight = 16;

    public static string Render(Chart chart)
    {
        var (xAxis, yAxis) = Axes(chart);
        string note = HiddenNote(chart);

        // Margins from what they hold: the y label, the widest y tick label, the title, the x ticks and label, the note.
        double yTickWidth = yAxis.Ticks.Select(t => SvgWriter.TextWidth(yAxis.Label(t), TickFont)).DefaultIfEmpty(0).Max();
        double left = 8 + (chart.YLabel.Length > 0 ? 20 : 0) + yTickWidth + 10;
        double top = chart.Title is null ? 14 : 14 + TitleFont + 14;
        double bottom = 22 + (chart.XLabel.Length > 0 ? LineHeight + 4 : 0) + (note.Length > 0 ? LineHeight : 0) + 6;
        double plotW = Math.Max(40, chart.Width - left - Right), plotH = Math.Max(40, chart.Height - top - bottom);
        double X(double x) => left + xAxis.Fraction(x) * plotW;
        double Y(double y) => top + plotH - yAxis.Fraction(y) * plotH;
        double XT(double t) => left + (t - xAxis.Min) / (xAxis.Max - xAxis.Min) * plotW;   // a tick, in axis units
        double YT(double t) => top + plotH - (t - yAxis.Min) / (yAxis.Max - yAxis.Min) * plotH;

        var runs = chart.AllSeries.Select(s => Runs(chart, s.Points).Select(r => r.Select(p => (X(p.X), Y(p.Y))).ToList()).ToList()).ToList();
        var marks = chart.Marks.Where(m => Drawable(chart, (m.X, m.Y))).Select(m => (X(m.X), Y(m.Y))).ToList();
        var legend = Legend(chart, runs, marks, left, top, plotW, plotH);
        double width = chart.Width, height = chart.Height + (legend is { Outside: true } below ? below.H : 0);

        var svg = new SvgWriter(width, height, "mg-chart");
        svg.Rect(0, 0, width, height, "class=\"mg-background\" fill=\"#ffffff\"");
        if (chart.Title is { } title)
        {
            double size = Math.Min(TitleFont, (width - 16) / Math.Max(1, title.Length * SvgWriter.CharWidth));
            svg.Text(left + plotW / 2, 14 + TitleFont / 2, title, style: $"class=\"title\" font-weight=\"bold\" font-size=\"{Text.Coord(size)}\"");
        }
        svg.Raw("<defs><clipPath id=\"CLIP\">")
           .Rect(left, top, plotW, plotH, "")
           .Raw("</clipPath></defs>\n");

        svg.Open("g", "clip-path=\"url(#CLIP)\"");
        if (chart.Fill is { } fill) DrawBackground(svg, fill, X, Y);
        foreach (double t in xAxis.Ticks) svg.Line(XT(t), top, XT(t), top + plotH, "stroke=\"#000\" stroke-opacity=\"0.08\"");
        foreach (double t in yAxis.Ticks) svg.Line(left, YT(t), left + plotW, YT(t), "stroke=\"#000\" stroke-opacity=\"0.08\"");
        for (int i = 0; i < chart.AllSeries.Count; i++)
        {
            var s = chart.AllSeries[i];
            if (s.Scatter || runs[i].Count == 0) continue;
            var d = new StringBuilder();
            foreach (var run in runs[i])
                for (int k = 0; k < run.Count; k++)
                    d.Append(d.Length == 0 ? "" : " ").Append(k == 0 ? "M" : "L").Append(Text.Coord(run[k].Item1)).Append(',').Append(Text.Coord(run[k].Item2));
            svg.Path(d.ToString(), $"class=\"series\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")}");
        }
        for (int i = 0; i < chart.AllSeries.Count; i++)
        {
            var s = chart.AllSeries[i];
            if (!s.Scatter) continue;
            svg.Open("g", $"class=\"series\" fill=\"{s.Colour}\" stroke=\"#ffffff\" stroke-width=\"0.8\"");
            foreach (var run in runs[i])
                foreach (var (x, y) in run) svg.Circle(x, y, 4, "");
            svg.Close("g");
        }
        svg.Close("g");
        DrawMarks(svg, chart, X, Y, left, top, plotW, plotH, Samples(chart, runs), legend);

        // Axes, ticks and labels.
        svg.Rect(left, top, plotW, plotH, "fill=\"none\" stroke=\"#444\"");
        svg.Open("g", "class=\"ticks x\" font-size=\"11\"");
        foreach (double t in xAxis.Ticks)
        {
            svg.Line(XT(t), top + plotH, XT(t), top + plotH + 5, "stroke=\"#444\"");
            TickLabel(svg, XT(t), top + plotH + 14, xAxis.Label(t), "middle");
        }
        svg.Close("g");
        svg.Open("g", "class=\"ticks y\" font-size=\"11\"");
        foreach (double t in yAxis.Ticks)
        {
            svg.Line(left - 5, YT(t), left, YT(t), "stroke=\"#444\"");
            TickLabel(svg, left - 8, YT(t), yAxis.Label(t), "end");
        }
        svg.Close("g");
        double xLabelY = top + plotH + 22 + LineHeight / 2 + 2;
        if (chart.XLabel.Length > 0) svg.Text(left + plotW / 2, xLabelY, chart.XLabel, style: "class=\"axis-label x\"");
        if (chart.YLabel.Length > 0)
        {
            double cx = 8 + 10, cy = top + plotH / 2;
            svg.Raw($"<text class=\"axis-label y\" x=\"{Text.Coord(cx)}\" y=\"{Text.Coord(cy)}\" text-anchor=\"middle\" dominant-baseline=\"central\" transform=\"rotate(-90 {Text.Coord(cx)} {Text.Coord(cy)})\">{Text.Escape(chart.YLabel)}</text>\n");
        }
        if (note.Length > 0)
            svg.Text(left, chart.Height - 6 - LineHeight / 2, note, "start", "class=\"note\" font-size=\"11\" fill=\"#8a4b00\"");
        if (legend is { } at) DrawLegend(svg, chart, at);

        // The clip path needs an id unique on a page holding many charts: derive it from the content.
        string body = svg.End();
        string id = "mg-clip-" + Graphs.Hash.Hex(body);
        return body.Replace("\"CLIP\"", $"\"{id}\"").Replace("url(#CLIP)", $"url(#{id})");
    }

    internal static (Axis X, Axis Y) Axes(Chart chart)
    {
        var points = chart.AllSeries.SelectMany(s => s.Points).Concat(chart.Marks.Select(m => (m.X, m.Y)))
            .Where(p => Drawable(chart, p)).ToList();
        double plotH = chart.Height - 90;
        Axis x = AxisFor(chart.XRange, chart.LogX, points.Select(p => p.X).ToList(), maxLogTicks: 10);
        Axis y = AxisFor(chart.YRange, chart.LogY, points.Select(p => p.Y).ToList(), maxLogTicks: (int)Math.Clamp(plotH / 28, 3, 10));
        return (x, y);
    }

    /// <summary>
    /// A tick label. A power of ten such as "10⁻¹⁰" is drawn as 10 with a raised exponent in plain
    /// digits, a little smaller: superscript characters come out too small to tell 10⁻¹⁰ from 10⁻¹⁸.
    /// </summary>
    private static void TickLabel(SvgWriter svg, double x, double y, string label, string anchor)
    {
        string power = label.StartsWith("10", StringComparison.Ordinal) ? label[2..] : "";
        if (power.Length == 0 || !power.All(c => c == '⁻' || Axis.SuperscriptDigits.Contains(c)))
        {
            svg.Text(x, y, label, anchor);
            return;
        }
        string plain = string.Concat(power.Select(c => c == '⁻' ? '−' : (char)('0' + Axis.SuperscriptDigits.IndexOf(c))));
        svg.Raw($"<text x=\"{Text.Coord(x)}\" y=\"{Text.Coord(y)}\" text-anchor=\"{anchor}\" dominant-baseline=\"central\">10<tspan class=\"exponent\" dy=\"-5\" font-size=\"{Text.Coord(ExponentFont)}\">{plain}</tspan></text>\n");
    }

    private static Axis AxisFor((double Min, double Max)? range, bool log, List<double> values, int maxLogTicks)
    {
        if (log)
        {
            var (lo, hi) = range is { } r ? (r.Min, r.Max) : values.Count > 0 ? (values.Min(), values.Max()) : (0.1, 1);
            return Axis.Log(lo, hi, maxLogTicks);
        }
        return range is { } fixedRange ? Exact(fixedRange.Min, fixedRange.Max)
            : values.Count > 0 ? Axis.Nice(values.Min(), values.Max()) : Axis.Nice(0, 1);
    }

    /// <summary>A point a chart can draw: finite, and positive on a log axis.</summary>
    private static bool Drawable(Chart chart, (double X, double Y) p) =>
        double.IsFinite(p.X) && double.IsFinite(p.Y) && (!chart.LogX || p.X > 0) && (!chart.LogY || p.Y > 0);

    /// <summary>A series split into runs of drawable points: a line breaks where a point cannot be drawn.</summary>
    private static List<List<(double X, double Y)>> Runs(Chart chart, IEnumerable<(double X, double Y)> points)
    {
        var runs = new List<List<(double X, double Y)>>();
        List<(double X, double Y)>? current = null;
        foreach (var p in points)
        {
            if (!Drawable(chart, p)) { current = null; continue; }
            if (current is null) runs.Add(current = new());
            current.Add(p);
        }
        return runs;
    }

    /// <summary>What the chart says about points it left out: "2 points ≤ 0 not shown (log scale)".</summary>
    internal static string HiddenNote(Chart chart)
    {
        var all = chart.AllSeries.SelectMany(s => s.Points).ToList();
        int nonFinite = all.Count(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y));
        int nonPositive = all.Count(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && ((chart.LogX && p.X <= 0) || (chart.LogY && p.Y <= 0)));
        var parts = new List<string>();
        string Points(int n) => n == 1 ? "1 point" : $"{n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} points";
        if (nonPositive > 0) parts.Add($"{Points(nonPositive)} ≤ 0 not shown (log scale)");
        if (nonFinite > 0) parts.Add($"{Points(nonFinite)} not finite (NaN or ∞) not shown");
        return string.Join("; ", parts);
    }

    /// <summary>A fixed range keeps its ends; its ticks are the nice ones inside it.</summary>
    private static Axis Exact(double min, double max)
    {
        var nice = Axis.Nice(min, max);
        var inside = nice.Ticks.Where(t => t >= min - 1e-9 && t <= max + 1e-9).ToArray();
        return new Axis(min, max, inside.Length > 0 ? inside : nice.Ticks);
    }

    /// <summary>Grid cells coloured by score; runs of equal colour along a row merge into one rectangle.</summary>
    private static void DrawBackground(SvgWriter svg, Chart.Background fill, Func<double, double> X, Func<double, double> Y)
    {
        int rows = fill.Score.GetLength(0), cols = fill.Score.GetLength(1);
        double cellW = (fill.X1 - fill.X0) / cols, cellH = (fill.Y1 - fill.Y0) / rows;
        svg.Open("g", "class=\"boundary\" stroke=\"none\"");
        for (int j = 0; j < rows; j++)
        {
            int start = 0;
            for (int i = 1; i <= cols; i++)
            {
                if (i < cols && Colour(fill.Score[j, i]) == Colour(fill.Score[j, start])) continue;
                double x0 = X(fill.X0 + start * cellW), x1 = X(fill.X0 + i * cellW);
                double yTop = Y(fill.Y0 + (j + 1) * cellH), yBottom = Y(fill.Y0 + j * cellH);
                // Overlap by a hair so anti-aliasing leaves no seams between rows.
                svg.Rect(x0, yTop, x1 - x0 + 0.3, yBottom - yTop + 0.3, $"fill=\"{Colour(fill.Score[j, start])}\"");
                start = i;
            }
        }
        svg.Close("g");
    }

    /// <summary>Blue for a positive score, red for a negative one, in four strengths by |score|.</summary>
    internal static string Colour(double score)
    {
        string[] blue = ["#dbe8f6", "#bcd4ef", "#9cbfe6", "#7eaadd"];
        string[] red = ["#f9e0dc", "#f3c3ba", "#eca597", "#e58a78"];
        int level = Math.Abs(score) < 0.25 ? 0 : Math.Abs(score) < 0.75 ? 1 : Math.Abs(score) < 1.5 ? 2 : 3;
        return score > 0 ? blue[level] : red[level];
    }

    internal sealed record LegendBox(double X, double Y, double W, double H, bool Outside);

    /// <summary>
    /// Where the legend goes: the first of the plot's corners and edges where it covers no drawn
    /// point or line (sampled every few pixels), else outside the plot on the right.
    /// </summary>
    internal static LegendBox? Legend(Chart chart, List<List<List<(double, double)>>> runs, List<(double, double)> marks,
        double left, double top, double plotW, double plotH)
    {
        var named = chart.AllSeries.Where(s => s.Name.Length > 0).ToList();
        if (named.Count == 0) return null;
        double w = named.Max(s => SvgWriter.TextWidth(s.Name, 11)) + 40, h = 8 + 18 * named.Count;
        var samples = Samples(chart, runs);
        samples.AddRange(marks);
        const double inset = 8, clearance = 5;
        double l = left + inset, r = left + plotW - inset - w, t = top + inset, b = top + plotH - inset - h;
        double cx = left + (plotW - w) / 2, cy = top + (plotH - h) / 2;
        var candidates = new[] { (r, t), (l, t), (r, b), (l, b), (cx, t), (cx, b), (r, cy), (l, cy) };
        if (w + 2 * inset <= plotW && h + 2 * inset <= plotH)
            foreach (var (x, y) in candidates)
            {
                bool Covers((double X, double Y) p) =>
                    p.X >= x - clearance && p.X <= x + w + clearance && p.Y >= y - clearance && p.Y <= y + h + clearance;
                if (!samples.Any(Covers)) return new LegendBox(x, y, w, h, Outside: false);
            }
        // Below the chart, its entries flowing in rows across the plot's width: the chart grows taller, never wider.
        var flow = Flow(named.Select(s => SvgWriter.TextWidth(s.Name, 11) + 40).ToList(), plotW);
        return new LegendBox(left, chart.Height, plotW, 8 + 18 * (flow.Max(f => f.Row) + 1), Outside: true);
    }

    /// <summary>Entries of the given widths in rows no wider than <paramref name="width"/>: each entry's row and x offset.</summary>
    private static List<(int Row, double X)> Flow(List<double> widths, double width)
    {
        var at = new List<(int Row, double X)>();
        int row = 0;
        double x = 0;
        foreach (double w in widths)
        {
            if (x > 0 && x + w > width) { row++; x = 0; }
            at.Add((row, x));
            x += w + 12;
        }
        return at;
    }

    /// <summary>Every drawn point, and lines sampled every 3 px, in picture coordinates: what a legend or a label must not cover.</summary>
    internal static List<(double X, double Y)> Samples(Chart chart, List<List<List<(double, double)>>> runs)
    {
        var samples = new List<(double X, double Y)>();
        for (int i = 0; i < runs.Count; i++)
            foreach (var run in runs[i])
            {
                for (int k = 0; k < run.Count; k++)
                {
                    samples.Add(run[k]);
                    if (k == 0 || chart.AllSeries[i].Scatter) continue;
                    var (x0, y0) = run[k - 1];
                    var (x1, y1) = run[k];
                    int pieces = (int)Math.Min(200, Math.Ceiling(Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)) / 3));
                    for (int p = 1; p < pieces; p++) samples.Add((x0 + (x1 - x0) * p / pieces, y0 + (y1 - y0) * p / pieces));
                }
            }
        return samples;
    }

    private static void DrawLegend(SvgWriter svg, Chart chart, LegendBox box)
    {
        var named = chart.AllSeries.Where(s => s.Name.Length > 0).ToList();
        svg.Open("g", $"class=\"legend{(box.Outside ? " below" : "")}\"");
        var flow = box.Outside ? Flow(named.Select(s => SvgWriter.TextWidth(s.Name, 11) + 40).ToList(), box.W) : null;
        if (!box.Outside) svg.Rect(box.X, box.Y, box.W, box.H, "fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#bbb\"", 3);
        for (int i = 0; i < named.Count; i++)
        {
            double x = box.X + (flow is null ? 0 : flow[i].X);
            double cy = box.Y + 13 + 18 * (flow is null ? i : flow[i].Row);
            var s = named[i];
            if (s.Scatter) svg.Circle(x + 16, cy, 4, $"fill=\"{s.Colour}\"");
            else svg.Line(x + 6, cy, x + 26, cy, $"stroke=\"{s.Colour}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")}");
            svg.Text(x + 32, cy, s.Name, "start", "font-size=\"11\"");
        }
        svg.Close("g");
    }

    /// <summary>
    /// Marked points: a dot with a white ring, its label beside it on the first side (right above,
    /// right below, left above, left below) where it covers no data, stays in the plot and clears the legend.
    /// </summary>
    private static void DrawMarks(SvgWriter svg, Chart chart, Func<double, double> X, Func<double, double> Y,
        double left, double top, double plotW, double plotH, List<(double X, double Y)> samples, LegendBox? legend)
    {
        foreach (var m in chart.Marks)
        {
            if (!Drawable(chart, (m.X, m.Y))) continue;
            double x = X(m.X), y = Y(m.Y);
            if (x < left - 0.5 || x > left + plotW + 0.5 || y < top - 0.5 || y > top + plotH + 0.5) continue;
            svg.Open("g", "class=\"mark\"");
            svg.Circle(x, y, 5, $"fill=\"{m.Colour}\" stroke=\"#ffffff\" stroke-width=\"1.5\"");
            if (m.Label.Length > 0)
            {
                double w = SvgWriter.TextWidth(m.Label, 11), h = 14;
                (bool Right, double Dy)[] sides = [(true, -12.0), (true, 12.0), (false, -12.0), (false, 12.0)];
                bool Clear((bool Right, double Dy) side)
                {
                    double bx = side.Right ? x + 9 : x - 9 - w, by = y + side.Dy - h / 2;
                    if (bx < left + 2 || bx + w > left + plotW - 2 || by < top + 2 || by + h > top + plotH - 2) return false;
                    if (legend is { Outside: false } l && bx < l.X + l.W && l.X < bx + w && by < l.Y + l.H && l.Y < by + h) return false;
                    return !samples.Any(p => p.X >= bx - 2 && p.X <= bx + w + 2 && p.Y >= by - 2 && p.Y <= by + h + 2);
                }
                var chosen = sides.FirstOrDefault(Clear, sides[0]);
                svg.Text(chosen.Right ? x + 9 : x - 9, y + chosen.Dy, m.Label, chosen.Right ? "start" : "end",
                    $"font-size=\"11\" font-weight=\"bold\" fill=\"{m.Colour}\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"");
            }
            svg.Close("g");
        }
    }
}
