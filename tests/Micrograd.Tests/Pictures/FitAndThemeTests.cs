using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Micrograd;
using Micrograd.Pictures;
using Micrograd.Pictures.Charts;
using Micrograd.Pictures.Display;
using Micrograd.Pictures.Graphs;

namespace Micrograd.Tests.Pictures;

/// <summary>Pictures fit any column and read on dark pages, by their own markup (not the page's CSS).</summary>
public sealed class FitAndThemeTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public static IEnumerable<object[]> Pictures()
    {
        yield return ["lecture graph", Graph.Draw(GraphTests.LectureL())];
        yield return ["05's composite graph", Graph.Draw(LayoutTests.CompositeNeuron())];
        yield return ["top to bottom", Graph.Draw(GraphTests.LectureL(), new GraphOptions { Direction = Direction.TopToBottom, Title = "L" })];
        yield return ["step view", Graph.Backprop(GraphTests.Neuron(v => v.Tanh()))];
        yield return ["chart", new Chart("loss", "step", "loss") { LogY = true }.Line("loss", [1.0, 0.1, 0.01]).ToPicture()];
        yield return ["summary", Graph.Draw(Micrograd.Nn.MLP.Micrograd(2, [16, 16, 1], seed: 1).Call([0.5, -0.5]))];
    }

    private static double D(XElement e, string a) => double.Parse((string)e.Attribute(a)!, CultureInfo.InvariantCulture);

    [Theory, MemberData(nameof(Pictures))]
    public void Every_picture_scales_down_to_its_column_in_proportion_never_up(string name, Picture picture)
    {
        var svg = XDocument.Parse(picture.Svg).Root!;
        double w = D(svg, "width"), h = D(svg, "height");
        Assert.Equal($"0 0 {svg.Attribute("width")!.Value} {svg.Attribute("height")!.Value}", (string?)svg.Attribute("viewBox"));
        string style = (string?)svg.Attribute("style") ?? "";
        Assert.True(style.Contains("width:100%") && style.Contains($"max-width:{svg.Attribute("width")!.Value}px") && style.Contains("height:auto"),
            $"{name}: style '{style}' does not fit the column");
        Assert.True(w > 0 && h > 0);
    }

    [Theory, MemberData(nameof(Pictures))]
    public void Every_picture_has_its_own_light_background_so_it_reads_on_a_dark_page(string name, Picture picture)
    {
        var svg = XDocument.Parse(picture.Svg).Root!;
        var first = svg.Elements(Ns + "rect").First();
        Assert.True(D(first, "x") <= 1 && D(first, "y") <= 1 && D(first, "width") >= D(svg, "width") - 2 && D(first, "height") >= D(svg, "height") - 2,
            $"{name}: the first shape is not a background covering the picture");
        string fill = (string)first.Attribute("fill")!;
        Assert.True(Luminance(fill) > 0.9, $"{name}: background {fill} is not light");
        // Text without its own fill is black, on that light background; text with a fill is dark enough to read there.
        foreach (var text in svg.Descendants(Ns + "text").Where(t => t.Attribute("fill") is not null && t.Parent!.Attribute("class")?.Value != "mark"))
            Assert.True(Luminance((string)text.Attribute("fill")!) < 0.45, $"{name}: text '{text.Value}' in {text.Attribute("fill")!.Value} is too pale");
    }

    private static double Luminance(string hex)
    {
        hex = hex.TrimStart('#');
        if (hex.Length == 3) hex = string.Concat(hex.Select(c => $"{c}{c}"));
        double C(int i) => int.Parse(hex.Substring(i, 2), NumberStyles.HexNumber) / 255.0;
        return 0.2126 * C(0) + 0.7152 * C(2) + 0.0722 * C(4);
    }

    [Fact]
    public void Wide_pictures_get_a_full_size_button_that_works_without_page_css()
    {
        string wide = Html.Of(Graph.Draw(LayoutTests.CompositeNeuron()))!;
        Assert.Contains("class=\"mg-full-size\"", wide);
        Assert.Contains("onclick=\"", wide);
        Assert.Contains("maxWidth", wide);
        Assert.StartsWith("<div class=\"mg-picture\" style=\"overflow-x:auto", wide);
        string narrow = Html.Of(new Chart("small").Line("y", [1.0, 2.0]))!;
        Assert.DoesNotContain("mg-full-size", narrow);
    }

    [Fact]
    public void A_value_card_sets_its_own_text_colour_on_its_own_background()
    {
        string card = Html.Of(new Value(1, "a"))!;
        Assert.Contains("background:#fafafa", card);
        Assert.Contains("color:#1d1d1d", card);
    }
}
