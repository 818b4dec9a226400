using System.Linq;
using System.Xml.Linq;
using Micrograd;
using Micrograd.Pictures.Graphs;

namespace Micrograd.Tests.Pictures;

/// <summary>The backprop step view: one count, and captions that say which grad was set, by which rule, to what.</summary>
public sealed class StepViewTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    private static string[] Captions(Micrograd.Pictures.Picture picture) =>
        XDocument.Parse(picture.Svg).Descendants(Ns + "g").Where(g => (string?)g.Attribute("class") == "mg-frame")
            .Select(f => f.Elements(Ns + "text").Single(t => (string?)t.Attribute("class") == "caption").Value).ToArray();

    [Fact]
    public void The_tanh_neuron_steps_name_each_grad_and_its_rule()
    {
        var captions = Captions(Graph.Backprop(GraphTests.Neuron(v => v.Tanh())));
        Assert.Equal(
        [
            "before backprop: every grad is 0 (press ▶ or drag the slider)",
            "step 1 of 6: o.grad = 1 (the output: do/do = 1)",
            "step 2 of 6: n.grad = (1 − o²)·o.grad = 0.5 (tanh)",
        ], captions.Take(3));
        Assert.All(captions.Skip(1), c => Assert.StartsWith($"step {System.Array.IndexOf(captions, c)} of 6: ", c));
        Assert.Contains(captions, c => c.Contains("b.grad = n.grad = 0.5") && c.EndsWith("(a sum passes its grad on unchanged)"));
        Assert.Contains(captions, c => c.Contains("x1.grad = w1·") && c.Contains("= -1.5") && c.Contains("w1.grad = x1·") && c.Contains("= 1 (a product"));
    }

    [Fact]
    public void There_is_one_count_the_captions_and_the_controls_repeat_none()
    {
        var picture = Graph.Backprop(GraphTests.Neuron(v => v.Tanh()));
        Assert.DoesNotContain("mg-count", picture.Html);
        Assert.DoesNotContain(" / ", picture.Html.Replace(picture.Svg, ""));
        Assert.Equal(6, Captions(picture).Count(c => c.StartsWith("step ")));
        // With the script, the caption moves under the slider as page text and the SVG's copy is hidden.
        Assert.Contains("<div class=\"mg-caption\"", picture.Html);
        Assert.Contains("t.setAttribute('display', 'none')", picture.Html);
        Assert.Contains("background:#ffffff;color:#1d1d1d", picture.Html);
    }

    [Fact]
    public void A_grad_that_accumulates_says_plus_equals_and_the_new_total()
    {
        var a = new Value(3, "a");
        var b = a * a; b.Label = "b";
        var c = b + a; c.Label = "c";
        var captions = Captions(Graph.Backprop(c));
        // c = a² + a: the sum gives a its first 1, then the product adds 2·a·b.grad = 6.
        Assert.Contains(captions, t => t.Contains("a.grad = c.grad = 1") && t.Contains("b.grad = c.grad = 1"));
        Assert.Contains(captions, t => t.Contains("a.grad += 2·a·b.grad = 6, now 7"));
        Assert.Equal(7, a.Grad);
    }

    [Fact]
    public void Powers_exps_and_unnamed_values_read_in_the_caption()
    {
        var x = new Value(2, "x");
        var y = x.Pow(3).Exp(); y.Label = "y";
        var captions = Captions(Graph.Backprop(y));
        Assert.Contains(captions, t => t.Contains("(**3).grad = y·y.grad") && t.Contains("(exp: its own value)"));
        Assert.Contains(captions, t => t.Contains("x.grad = 3·x^2·(**3).grad") && t.EndsWith("(power rule)"));
    }

    [Theory]
    [InlineData("step 6 of 6: x1.grad = w1·(x1*w1).grad = -1.5; w1.grad = x1·(x1*w1).grad = 1 (a product: each input gets the other one times the grad)", 60)]
    [InlineData("short", 60)]
    [InlineData("averyveryverylongwordwithoutanyspaceatall", 10)]
    public void Captions_wrap_at_spaces_and_read_whole(string caption, int width)
    {
        var lines = BackpropView.Wrap(caption, width);
        Assert.Equal(caption, string.Concat(lines));
        Assert.All(lines, l => Assert.InRange(l.Length, 1, width));
        if (caption.Contains(' ')) Assert.All(lines.Take(lines.Count - 1), l => Assert.EndsWith(" ", l));
    }

    [Fact]
    public void Long_captions_wrap_instead_of_widening_the_picture()
    {
        var o = GraphTests.Neuron(v => v.Tanh());
        double drawn = double.Parse((string)XDocument.Parse(Graph.Draw(o).Svg).Root!.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture);
        double stepped = double.Parse((string)XDocument.Parse(Graph.Backprop(o).Svg).Root!.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(drawn, stepped);
    }
}
