using System.Linq;
using Micrograd.Execution;
using Micrograd.Pictures.Charts;
using Microsoft.DotNet.Interactive.Formatting;

namespace Micrograd.Notebooks.Tests;

/// <summary>
/// The core formats by the kernel's convention itself (the real formatter needs ASP.NET Core,
/// which a browser does not have); here, on the desktop, it is held to what the real one gives.
/// </summary>
public sealed class FormattingTests
{
    public static TheoryData<string> Values() => new() { "value", "labelled value", "graph", "chart", "step view" };

    private static object Make(string name)
    {
        var a = new Value(2.0, "a");
        var b = new Value(-3.0, "b");
        var l = a * b + 1;
        l.Label = "L";
        l.Backward();
        return name switch
        {
            "value" => new Value(0.5),
            "labelled value" => l,
            "graph" => Micrograd.Pictures.Graphs.Graph.Draw(l),
            "chart" => new Chart("loss").Line("loss", [3.0, 2.0, 1.5]),
            "step view" => Micrograd.Pictures.Graphs.Graph.Backprop(l),
            _ => throw new System.ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void The_core_gives_what_the_real_formatter_gives(string name)
    {
        var value = Make(name);
        var ours = new DisplayFormatter().Format(value, [], null);
        Assert.Equal(Formatter.GetPreferredMimeTypesFor(value.GetType()).First(), ours.MimeType);
        foreach (string mime in new[] { "text/html", "text/plain" })
            Assert.Equal(value.ToDisplayString(mime), ours.Data.Single(d => d.MimeType == mime).Content);
    }

    [Theory]
    [InlineData(42)]
    [InlineData(0.7071066904050358)]
    [InlineData(-8.0)]
    [InlineData("text")]
    [InlineData(true)]
    public void Plain_values_are_plain_text_as_the_kernel_shows_them(object value) =>
        Assert.Equal(value.ToDisplayString("text/plain"), DisplayFormatter.PlainTextOf(value));
}
