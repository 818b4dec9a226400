using System;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using Micrograd.Data;
using Micrograd.Pictures.Charts;

namespace Micrograd.Tests.Pictures;

public sealed class ChartTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    [Theory]
    [InlineData(0, 0.93, new[] { 0, 0.2, 0.4, 0.6, 0.8, 1.0 })]
    [InlineData(-2.3, 7.9, new[] { -4.0, -2, 0, 2, 4, 6, 8 })]
    [InlineData(0, 99, new[] { 0.0, 20, 40, 60, 80, 100 })]
    [InlineData(3, 3, new[] { 2.7, 2.8, 2.9, 3.0, 3.1, 3.2, 3.3 })]
    public void Axes_round_out_to_nice_ticks(double lo, double hi, double[] ticks)
    {
        var axis = Axis.Nice(lo, hi);
        Assert.Equal(ticks, axis.Ticks.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(ticks[0], axis.Min, 1e-12);
        Assert.Equal(ticks[^1], axis.Max, 1e-12);
    }

    [Fact]
    public void Tick_labels_have_the_decimals_their_step_needs()
    {
        var axis = Axis.Nice(0, 0.93);
        Assert.Equal("0.4", axis.Label(0.4));
        Assert.Equal("20", Axis.Nice(0, 99).Label(20));
    }

    [Fact]
    public void A_function_and_its_tangent_render_with_title_labels_legend_and_ticks()
    {
        Func<double, double> f = x => 3 * x * x - 4 * x + 5;
        var chart = new Chart("f(x) = 3x² − 4x + 5", "x", "f(x)")
            .Function("f", f, -5, 5)
            .Function("tangent at x = 3", x => 20 + 14 * (x - 3), -5, 5, dashed: true);
        chart.XRange = (-5, 5);
        string svg = chart.ToPicture().Svg;
        var doc = XDocument.Parse(svg);
        var texts = doc.Descendants(Ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("f(x) = 3x² − 4x + 5", texts);
        Assert.Contains("tangent at x = 3", texts);
        Assert.Contains("-4", texts);   // x ticks inside the fixed range
        Assert.Contains("4", texts);
        Assert.Contains("100", texts);  // y fits f(-5) = 100
        Assert.Equal(2, doc.Descendants(Ns + "path").Count(p => (string?)p.Attribute("class") == "series"));
        Assert.Contains("stroke-dasharray", svg);
        Assert.Equal(svg, chart.ToPicture().Svg);
    }

    [Fact]
    public void Fitted_axes_cover_the_data()
    {
        var chart = new Chart().Line("loss", [0.9, 0.5, 0.3, 0.1]);
        var (x, y) = ChartDrawing.Axes(chart);
        Assert.Equal(0, x.Min); Assert.Equal(3, x.Max);
        Assert.True(y.Min <= 0.1 && y.Max >= 0.9);
    }

    [Fact]
    public void Log_axis_spans_whole_decades()
    {
        var chart = new Chart { LogY = true }.Line("loss", [5.0, 0.5, 0.004]);
        var (_, y) = ChartDrawing.Axes(chart);
        Assert.Equal(new[] { -3.0, -2, -1, 0, 1 }, y.Ticks);
        Assert.Contains(">0.001</text>", chart.ToPicture().Svg);
    }

    [Fact]
    public void Live_charts_grow_as_points_are_added()
    {
        var chart = new Chart("training");
        chart.Add("loss", 0, 1.0);
        string one = chart.ToPicture().Svg;
        chart.Add("loss", 1, 0.5).Add("loss", 2, 0.25);
        string three = chart.ToPicture().Svg;
        Assert.NotEqual(one, three);
        Assert.Equal("Chart 'training': loss (3 points)", chart.ToString());
    }

    [Fact]
    public void Scatter_by_class_and_decision_boundary()
    {
        var data = MicrogradDemo.Moons();
        var chart = Chart.DecisionBoundary((x, y) => y - 0.25, data, resolution: 20, title: "boundary");
        string svg = chart.ToPicture().Svg;
        var doc = XDocument.Parse(svg);
        Assert.Equal(100, doc.Descendants(Ns + "circle").Count(c => c.Parent!.Attribute("class")?.Value == "series"));
        var cells = doc.Descendants(Ns + "g").Single(g => (string?)g.Attribute("class") == "boundary").Elements(Ns + "rect").ToList();
        Assert.InRange(cells.Count, 20, 20 * 20); // runs of equal colour merge, at least one a row
        Assert.Contains(cells, c => Shades(+1).Contains(c.Attribute("fill")!.Value)); // above y = 0.25
        Assert.Contains(cells, c => Shades(-1).Contains(c.Attribute("fill")!.Value)); // below it
        Assert.Contains("class -1", svg);
        Assert.Contains("class +1", svg);
    }

    [Fact]
    public void Mismatched_series_lengths_are_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Chart().Line("bad", [1.0, 2.0], [1.0]));
        Assert.Equal("series 'bad': 2 x values but 1 y values", ex.Message);
    }

    [Fact]
    public void Two_charts_on_one_page_have_different_clip_ids()
    {
        string a = new Chart().Line("a", [1.0, 2.0]).ToPicture().Svg;
        string b = new Chart().Line("b", [1.0, 3.0]).ToPicture().Svg;
        string Id(string s) => XDocument.Parse(s).Descendants(Ns + "clipPath").Single().Attribute("id")!.Value;
        Assert.NotEqual(Id(a), Id(b));
        Assert.StartsWith("mg-clip-", Id(a));
    }

    private static string[] Shades(int sign) => new[] { 0.1, 0.5, 1, 2 }.Select(s => ChartDrawing.Colour(sign * s)).ToArray();
}
