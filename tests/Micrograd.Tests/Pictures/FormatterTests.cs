using Micrograd;
using Micrograd.Pictures;
using Micrograd.Pictures.Charts;
using Micrograd.Pictures.Graphs;
using Microsoft.DotNet.Interactive.Formatting;

namespace Micrograd.Tests.Pictures;

/// <summary>The notebook kernel's own formatter finds our convention-based formatters, with no package reference in the engine.</summary>
public sealed class FormatterTests
{
    [Fact]
    public void A_value_displays_as_a_compact_card()
    {
        var a = new Value(2.5, "a");
        string html = a.ToDisplayString("text/html");
        Assert.StartsWith("<div class=\"mg-value\"", html);
        Assert.Contains("<b>a</b>", html);
        Assert.Contains("data 2.5000", html);
        Assert.Contains("grad 0.0000", html);
        Assert.Contains("← *", (a * 2).ToDisplayString("text/html"));
    }

    [Fact]
    public void A_picture_displays_as_its_svg()
    {
        var picture = Graph.Draw(GraphTests.LectureL());
        string html = picture.ToDisplayString("text/html");
        Assert.Contains(picture.Svg, html);
        Assert.StartsWith("<div class=\"mg-picture\"", html);
    }

    [Fact]
    public void A_chart_displays_its_current_state()
    {
        var chart = new Chart("loss");
        chart.Add("loss", 0, 1);
        string first = chart.ToDisplayString("text/html");
        chart.Add("loss", 1, 0.5);
        string second = chart.ToDisplayString("text/html");
        Assert.Contains("<svg", first);
        Assert.NotEqual(first, second);
        Assert.Contains(chart.ToPicture().Svg, second);
    }

    [Fact]
    public void The_backprop_view_displays_with_its_controls()
    {
        var picture = Graph.Backprop(GraphTests.LectureL());
        Assert.Contains("class=\"mg-slider\"", picture.ToDisplayString("text/html"));
    }

    [Fact]
    public void A_label_with_markup_stays_text_in_the_card()
    {
        Assert.Contains("&lt;script&gt;", new Value(1, "<script>").ToDisplayString("text/html"));
    }
}
