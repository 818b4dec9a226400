using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Micrograd.Pictures.Charts;

/// <summary>Turns a <see cref="Chart"/> into SVG: background, grid, series, axes, legend.</summary>
internal static class ChartDrawing
{
    private const double Left = 64, Right = 18, Top = 34, Bottom = 46;

    public static string Render(Chart chart)
    {
        var (xAxis, yAxis) = Axes(chart);
        double plotW = chart.Width - Left - Right, plotH = chart.Height - Top - Bottom;
        double X(double x) => Left + (x - xAxis.Min) / (xAxis.Max - xAxis.Min) * plotW;
        double Y(double y) => Top + plotH - ((chart.LogY ? Math.Log10(y) : y) - yAxis.Min) / (yAxis.Max - yAxis.Min) * plotH;

        var svg = new SvgWriter(chart.Width, chart.Height, "mg-chart");
        svg.Rect(0, 0, chart.Width, chart.Height, "fill=\"#ffffff\"");
        if (chart.Title is { } title) svg.Text(chart.Width / 2, 16, title, style: "font-weight=\"bold\" font-size=\"14\"");
        svg.Raw("<defs><clipPath id=\"CLIP\">")
           .Rect(Left, Top, plotW, plotH, "")
           .Raw("</clipPath></defs>\n");

        svg.Open("g", "clip-path=\"url(#CLIP)\"");
        if (chart.Fill is { } fill) DrawBackground(svg, fill, X, Y);
        foreach (double t in xAxis.Ticks) svg.Line(X(t), Top, X(t), Top + plotH, "stroke=\"#000\" stroke-opacity=\"0.08\"");
        foreach (double t in yAxis.Ticks) svg.Line(Left, Y(Unlog(chart, t)), Left + plotW, Y(Unlog(chart, t)), "stroke=\"#000\" stroke-opacity=\"0.08\"");
        foreach (var s in chart.AllSeries.Where(s => !s.Scatter))
        {
            var pts = Visible(chart, s.Points).ToList();
            if (pts.Count == 0) continue;
            var d = new StringBuilder();
            for (int i = 0; i < pts.Count; i++)
                d.Append(i == 0 ? "M" : " L").Append(Text.Coord(X(pts[i].X))).Append(',').Append(Text.Coord(Y(pts[i].Y)));
            svg.Path(d.ToString(), $"class=\"series\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")}");
        }
        foreach (var s in chart.AllSeries.Where(s => s.Scatter))
        {
            svg.Open("g", $"class=\"series\" fill=\"{s.Colour}\" stroke=\"#ffffff\" stroke-width=\"0.8\"");
            foreach (var (x, y) in Visible(chart, s.Points)) svg.Circle(X(x), Y(y), 4, "");
            svg.Close("g");
        }
        svg.Close("g");

        // Axes, ticks and labels.
        svg.Rect(Left, Top, plotW, plotH, "fill=\"none\" stroke=\"#444\"");
        foreach (double t in xAxis.Ticks)
        {
            svg.Line(X(t), Top + plotH, X(t), Top + plotH + 5, "stroke=\"#444\"");
            svg.Text(X(t), Top + plotH + 14, xAxis.Label(t), style: "font-size=\"11\"");
        }
        foreach (double t in yAxis.Ticks)
        {
            double y = Y(Unlog(chart, t));
            svg.Line(Left - 5, y, Left, y, "stroke=\"#444\"");
            svg.Text(Left - 8, y, chart.LogY ? LogLabel(t) : yAxis.Label(t), "end", "font-size=\"11\"");
        }
        if (chart.XLabel.Length > 0) svg.Text(Left + plotW / 2, chart.Height - 10, chart.XLabel);
        if (chart.YLabel.Length > 0)
            svg.Raw($"<text x=\"14\" y=\"{Text.Coord(Top + plotH / 2)}\" text-anchor=\"middle\" dominant-baseline=\"central\" transform=\"rotate(-90 14 {Text.Coord(Top + plotH / 2)})\">{Text.Escape(chart.YLabel)}</text>\n");
        DrawLegend(svg, chart, Left + plotW, Top);

        // The clip path needs an id unique on a page holding many charts: derive it from the content.
        string body = svg.End();
        string id = "mg-clip-" + Graphs.Hash.Hex(body);
        return body.Replace("\"CLIP\"", $"\"{id}\"").Replace("url(#CLIP)", $"url(#{id})");
    }

    internal static (Axis X, Axis Y) Axes(Chart chart)
    {
        var points = chart.AllSeries.SelectMany(s => Visible(chart, s.Points)).ToList();
        Axis x = chart.XRange is { } xr ? Exact(xr.Min, xr.Max)
            : points.Count > 0 ? Axis.Nice(points.Min(p => p.X), points.Max(p => p.X)) : Axis.Nice(0, 1);
        Axis y;
        if (chart.LogY)
        {
            var (lo, hi) = chart.YRange is { } yr ? (yr.Min, yr.Max)
                : points.Count > 0 ? (points.Min(p => p.Y), points.Max(p => p.Y)) : (0.1, 1);
            int a = (int)Math.Floor(Math.Log10(lo)), b = (int)Math.Ceiling(Math.Log10(hi));
            if (b == a) b++;
            y = new Axis(a, b, Enumerable.Range(a, b - a + 1).Select(k => (double)k).ToArray());
        }
        else
        {
            y = chart.YRange is { } yr ? Exact(yr.Min, yr.Max)
                : points.Count > 0 ? Axis.Nice(points.Min(p => p.Y), points.Max(p => p.Y)) : Axis.Nice(0, 1);
        }
        return (x, y);
    }

    /// <summary>A fixed range keeps its ends; its ticks are the nice ones inside it.</summary>
    private static Axis Exact(double min, double max)
    {
        var nice = Axis.Nice(min, max);
        var inside = nice.Ticks.Where(t => t >= min - 1e-9 && t <= max + 1e-9).ToArray();
        return new Axis(min, max, inside.Length > 0 ? inside : nice.Ticks);
    }

    private static IEnumerable<(double X, double Y)> Visible(Chart chart, IEnumerable<(double X, double Y)> pts) =>
        pts.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && (!chart.LogY || p.Y > 0));

    private static double Unlog(Chart chart, double t) => chart.LogY ? Math.Pow(10, t) : t;

    private static string LogLabel(double k) =>
        Math.Pow(10, k).ToString(k >= 0 ? "0" : "0." + new string('#', (int)-k), System.Globalization.CultureInfo.InvariantCulture);

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

    private static void DrawLegend(SvgWriter svg, Chart chart, double right, double top)
    {
        var named = chart.AllSeries.Where(s => s.Name.Length > 0).ToList();
        if (named.Count == 0) return;
        double w = named.Max(s => SvgWriter.TextWidth(s.Name, 11)) + 40, h = 8 + 18 * named.Count;
        double x = right - w - 8, y = top + 8;
        svg.Open("g", "class=\"legend\"");
        svg.Rect(x, y, w, h, "fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#bbb\"", 3);
        for (int i = 0; i < named.Count; i++)
        {
            double cy = y + 13 + 18 * i;
            var s = named[i];
            if (s.Scatter) svg.Circle(x + 16, cy, 4, $"fill=\"{s.Colour}\"");
            else svg.Line(x + 6, cy, x + 26, cy, $"stroke=\"{s.Colour}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")}");
            svg.Text(x + 32, cy, s.Name, "start", "font-size=\"11\"");
        }
        svg.Close("g");
    }
}
