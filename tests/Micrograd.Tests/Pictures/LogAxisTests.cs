using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Micrograd.Pictures.Charts;

namespace Micrograd.Tests.Pictures;

public sealed class LogAxisTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    [Fact]
    public void A_few_decades_get_a_tick_at_every_power_of_ten_labelled_plainly()
    {
        var axis = Axis.Log(0.004, 5);
        Assert.True(axis.IsLog);
        Assert.Equal(new[] { -3.0, -2, -1, 0, 1 }, axis.Ticks);
        Assert.Equal(new[] { "0.001", "0.01", "0.1", "1", "10" }, axis.Ticks.Select(axis.Label));
    }

    [Theory]
    [InlineData(-7, "10⁻⁷")]
    [InlineData(-4, "10⁻⁴")]
    [InlineData(-3, "0.001")]
    [InlineData(0, "1")]
    [InlineData(3, "1000")]
    [InlineData(4, "10⁴")]
    [InlineData(-30, "10⁻³⁰")]
    public void Powers_of_ten_never_read_like_point_zeros(int k, string label) => Assert.Equal(label, Axis.PowerOfTen(k));

    [Theory]
    [InlineData(1e-33, 10.0, 10, 5)]     // 07's forgotten ZeroGrad(): 34 decades, every 5th labelled
    [InlineData(1e-33, 10.0, 12, 3)]
    [InlineData(1e-7, 1.0, 10, 1)]       // 01's nudge error: 7 decades, all of them
    [InlineData(1e-12, 1e12, 10, 3)]
    [InlineData(2.0, 3.0, 10, 1)]        // inside one decade: its two ends
    public void The_gap_rule_keeps_ticks_readable(double lo, double hi, int maxTicks, int step)
    {
        var axis = Axis.Log(lo, hi, maxTicks);
        Assert.InRange(axis.Ticks.Count, 2, maxTicks);
        Assert.All(axis.Ticks, t => Assert.Equal(Math.Round(t), t));
        Assert.All(axis.Ticks.Zip(axis.Ticks.Skip(1)), p => Assert.Equal(step, p.Second - p.First));
        Assert.True(axis.Min <= Math.Log10(lo) && axis.Max >= Math.Log10(hi));
        Assert.All(axis.Ticks, t => Assert.DoesNotMatch(@"^0\.0000|^\.", axis.Label(t)));
    }

    /// <summary>07's forgotten-ZeroGrad chart: a loss that falls from 6 to below 1e-30 and then to 0.</summary>
    private static Chart Runaway()
    {
        var losses = Enumerable.Range(0, 60).Select(i => i < 54 ? 6 * Math.Pow(10, -0.62 * i) : 0.0).ToArray();
        return new Chart("the same training with and without ZeroGrad()", "step", "loss") { LogY = true }
            .Line("with ZeroGrad()", Enumerable.Range(0, 60).Select(i => 6 / (1.0 + i)))
            .Line("without ZeroGrad()", losses, dashed: true);
    }

    [Fact]
    public void A_chart_over_34_decades_draws_at_most_ten_labelled_ticks_and_says_which_points_it_left_out()
    {
        string svg = Runaway().ToPicture().Svg;
        var doc = XDocument.Parse(svg);
        var yTickTexts = doc.Descendants(Ns + "g").Single(g => (string?)g.Attribute("class") == "ticks y").Elements(Ns + "text").ToList();
        var yTicks = yTickTexts.Select(t => t.Value).ToList();
        Assert.InRange(yTicks.Count, 3, 10);
        Assert.All(yTicks, l => Assert.Matches("^(0\\.0*1|1|10|100|1000|10−?[0-9]+)$", l));
        // 10⁻³⁰ is 10 with its exponent raised, in plain digits (superscript characters are too small to read).
        var powers = yTickTexts.Where(t => t.Value.Length > 4 && t.Value.StartsWith("10−", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(powers);
        Assert.All(powers, t => Assert.True(t.Element(Ns + "tspan") is { } e && e.Value == t.Value[2..] && D(e, "dy") < 0, t.ToString()));
        Assert.Contains("6 points ≤ 0 not shown (log scale)", doc.Descendants(Ns + "text").Select(t => t.Value));
    }

    [Fact]
    public void Non_finite_points_are_counted_too_and_a_chart_with_all_points_shown_has_no_note()
    {
        var chart = new Chart().Line("y", [1.0, double.NaN, 3.0, double.PositiveInfinity]);
        Assert.Equal("2 points not finite (NaN or ∞) not shown", ChartDrawing.HiddenNote(chart));
        Assert.Equal("", ChartDrawing.HiddenNote(new Chart { LogY = true }.Line("y", [1.0, 2.0])));
        Assert.Equal("1 point ≤ 0 not shown (log scale)", ChartDrawing.HiddenNote(new Chart { LogY = true }.Line("y", [1.0, 0.0, 2.0])));
        // The line breaks at the point it cannot draw rather than joining its neighbours.
        string d = (string)XDocument.Parse(new Chart { LogY = true }.Line("y", [1.0, 0.0, 2.0, 3.0]).ToPicture().Svg)
            .Descendants(Ns + "path").Single(p => (string?)p.Attribute("class") == "series").Attribute("d")!;
        Assert.Equal(2, d.Count(c => c == 'M'));
    }

    [Fact]
    public void A_log_x_axis_places_points_by_their_power_of_ten()
    {
        var chart = new Chart("error", "h", "error") { LogX = true, LogY = true }
            .Line("forward difference", [1e-1, 1e-8, 1e-15], [1e-1, 1e-7, 1.0]);
        var (x, _) = ChartDrawing.Axes(chart);
        Assert.True(x.IsLog);
        Assert.Equal(-15, x.Min);
        Assert.Equal(-1, x.Max);
        Assert.InRange(x.Ticks.Count, 2, 10);
    }

    private sealed record Rect(double X, double Y, double W, double H)
    {
        public bool Contains(double x, double y) => x >= X && x <= X + W && y >= Y && y <= Y + H;
    }

    private static double D(XElement e, string a) => double.Parse((string)e.Attribute(a)!, CultureInfo.InvariantCulture);

    [Fact]
    public void The_title_sits_above_the_highest_tick_label()
    {
        foreach (var chart in new[] { Runaway(), new Chart("error of the nudge slope at x = 3", "h = 10^k, k", "|slope − 14|") { LogY = true }.Line("e", [0.1, 1e-7]) })
        {
            var doc = XDocument.Parse(chart.ToPicture().Svg);
            var title = doc.Descendants(Ns + "text").Single(t => (string?)t.Attribute("class") == "title");
            double titleBottom = D(title, "y") + D(title, "font-size") / 2;
            double highestTick = doc.Descendants(Ns + "g").Single(g => (string?)g.Attribute("class") == "ticks y").Elements(Ns + "text").Min(t => D(t, "y"));
            Assert.True(titleBottom + 4 <= highestTick - 11 / 2.0, $"title ends at {titleBottom}, the top tick label starts at {highestTick - 5.5}");
        }
    }

    [Fact]
    public void The_y_label_clears_the_widest_tick_label()
    {
        var doc = XDocument.Parse(new Chart("t", "x", "|slope − 14|") { LogY = true }.Line("e", [0.1, 1e-7]).ToPicture().Svg);
        var yLabel = doc.Descendants(Ns + "text").Single(t => (string?)t.Attribute("class") == "axis-label y");
        var ticks = doc.Descendants(Ns + "g").Single(g => (string?)g.Attribute("class") == "ticks y").Elements(Ns + "text");
        double labelRight = D(yLabel, "x") + 12 / 2.0;
        double ticksLeft = ticks.Min(t => D(t, "x") - t.Value.Length * 11 * 0.6);
        Assert.True(labelRight < ticksLeft, $"y label ends at {labelRight}, tick labels start at {ticksLeft}");
    }

    /// <summary>Every point drawn, lines sampled every 2 px, in picture coordinates.</summary>
    private static (double X, double Y)[] Drawn(XDocument doc)
    {
        var pts = new System.Collections.Generic.List<(double, double)>();
        foreach (var p in doc.Descendants(Ns + "path").Where(p => (string?)p.Attribute("class") == "series"))
            foreach (var run in ((string)p.Attribute("d")!).Split('M', StringSplitOptions.RemoveEmptyEntries))
            {
                var v = Regex.Matches(run, @"(-?[\d.]+),(-?[\d.]+)").Select(m => (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToArray();
                for (int i = 0; i < v.Length; i++)
                {
                    pts.Add(v[i]);
                    if (i == 0) continue;
                    int n = (int)Math.Ceiling(Math.Sqrt(Math.Pow(v[i].Item1 - v[i - 1].Item1, 2) + Math.Pow(v[i].Item2 - v[i - 1].Item2, 2)) / 2);
                    for (int k = 1; k < n; k++) pts.Add((v[i - 1].Item1 + (v[i].Item1 - v[i - 1].Item1) * k / n, v[i - 1].Item2 + (v[i].Item2 - v[i - 1].Item2) * k / n));
                }
            }
        foreach (var c in doc.Descendants(Ns + "circle").Where(c => c.Parent!.Attribute("class")?.Value is "series" or "mark"))
            pts.Add((D(c, "cx"), D(c, "cy")));
        return pts.ToArray();
    }

    [Fact]
    public void Legends_cover_no_data_moving_aside_or_below_the_plot()
    {
        // 07's five learning rates: lines along the top and bottom, no free corner that fits.
        var rates = new Chart("the same network, five learning rates", "step", "loss") { LogY = true };
        foreach (var (lr, floor) in new[] { (0.001, 3.0), (0.01, 0.07), (0.05, 0.009), (0.2, 0.0001), (1.0, 8.0) })
            rates.Line($"learning rate {lr}", Enumerable.Range(0, 60).Select(i => floor + 6.2 * Math.Exp(-0.3 * i) * (lr < 1 ? 1 : 0.2)));
        // A line through the top-right corner, where a legend goes by default.
        var corner = new Chart("rising").Line("rising", Enumerable.Range(0, 50).Select(i => (double)i * i));
        var moons = Chart.DecisionBoundary((x, y) => y - 0.25, Micrograd.Data.MicrogradDemo.Moons(), resolution: 10);
        foreach (var chart in new[] { rates, corner, moons, Runaway() })
        {
            var doc = XDocument.Parse(chart.ToPicture().Svg);
            var legend = doc.Descendants(Ns + "g").Single(g => ((string?)g.Attribute("class"))?.StartsWith("legend") == true);
            var drawn = Drawn(doc);
            Assert.NotEmpty(drawn);
            if ((string?)legend.Attribute("class") == "legend below")
            {
                var plot = doc.Root!.Elements(Ns + "rect").Single(r => (string?)r.Attribute("stroke") == "#444");
                double plotBottom = D(plot, "y") + D(plot, "height");
                Assert.All(legend.Descendants(Ns + "text"), t => Assert.True(D(t, "y") > plotBottom + 30, "a legend below the plot starts under the x axis"));
                continue;
            }
            var box = legend.Element(Ns + "rect")!;
            var r = new Rect(D(box, "x"), D(box, "y"), D(box, "width"), D(box, "height"));
            Assert.DoesNotContain(drawn, p => r.Contains(p.X, p.Y));
        }
    }

    [Fact]
    public void A_marked_point_is_drawn_where_it_is_with_its_label()
    {
        Func<double, double> f = x => 3 * x * x - 4 * x + 5;
        var chart = new Chart("f and its tangent at x = 3", "x", "f(x)").Function("f(x)", f, -5, 5)
            .Function("tangent", t => 20 + 14 * (t - 3), -5, 5, dashed: true).Mark(3, 20, "(3, 20)");
        chart.XRange = (-5, 5);
        chart.YRange = (-20, 110);
        var doc = XDocument.Parse(chart.ToPicture().Svg);
        var mark = doc.Descendants(Ns + "g").Single(g => (string?)g.Attribute("class") == "mark");
        Assert.Equal("(3, 20)", mark.Element(Ns + "text")!.Value);
        var plot = doc.Root!.Elements(Ns + "rect").Single(r => (string?)r.Attribute("stroke") == "#444");
        var dot = mark.Element(Ns + "circle")!;
        Assert.Equal(D(plot, "x") + 0.8 * D(plot, "width"), D(dot, "cx"), 0.01);
        Assert.Equal(D(plot, "y") + D(plot, "height") * (110 - 20) / 130.0, D(dot, "cy"), 0.01);
        // Its label covers neither curve: the parabola rises through the upper right of the point.
        var label = mark.Element(Ns + "text")!;
        double w = label.Value.Length * 11 * 0.6, lx = (string?)label.Attribute("text-anchor") == "end" ? D(label, "x") - w : D(label, "x");
        var box = new Rect(lx, D(label, "y") - 7, w, 14);
        Assert.DoesNotContain(Drawn(doc), p => box.Contains(p.X, p.Y));
    }
}
