using System.Globalization;
using System.Text.RegularExpressions;

namespace Micrograd.Pictures.Display;

/// <summary>The HTML a notebook shows for each of this library's types.</summary>
public static class Html
{
    /// <summary>Pictures wider than this get a "full size" button: narrower ones are legible at any column width a notebook has.</summary>
    public const double FullSizeButtonAbove = 640;

    /// <summary>The HTML for a Value or a picture; null for anything else.</summary>
    public static string? Of(object instance) => instance switch
    {
        Value v => ValueCard.Render(v),
        Picture p => Wrap(p),
        Charts.Chart c => Wrap(c.ToPicture()),
        _ => null,
    };

    /// <summary>The plain text for a Value or a picture; null for anything else.</summary>
    public static string? PlainText(object instance) => instance switch
    {
        Value v => (v.Label.Length > 0 ? v.Label + " = " : "") + v,
        Picture p => $"[picture: {p.Svg.Length:N0} characters of SVG]",
        Charts.Chart c => c.ToString(),
        _ => null,
    };

    /// <summary>
    /// A picture in a box of its own: it scales down to the column (the SVG's own style), and a wide
    /// one gets a button that shows it at full size, scrolling sideways. Everything is inline (style
    /// and a one-line handler), so it works on our pages, in VS Code and in Jupyter alike; where
    /// scripts are off the picture still fits and the button does nothing.
    /// </summary>
    private static string Wrap(Picture picture)
    {
        double width = NaturalWidth(picture.Svg);
        string button = width > FullSizeButtonAbove
            ? "<button type=\"button\" class=\"mg-full-size\" style=\"font:12px sans-serif;margin:2px 0 4px;cursor:pointer\" " +
              "title=\"show this picture at its natural size; scroll sideways to see all of it\" onclick=\"" + ToggleScript + "\">⤢ full size</button>"
            : "";
        return "<div class=\"mg-picture\" style=\"overflow-x:auto;max-width:100%\">" + button + picture.Html + "</div>";
    }

    /// <summary>Toggles the picture between fitting its column and its natural width (from its width attribute).</summary>
    private const string ToggleScript =
        "var s=this.parentNode.querySelector('svg'),w=s.getAttribute('width')+'px',full=s.style.maxWidth==='none';" +
        "s.style.width=full?'100%':w;s.style.maxWidth=full?w:'none';this.textContent=full?'⤢ full size':'⤡ fit to width';";

    /// <summary>The natural width of an SVG: its root element's width attribute.</summary>
    internal static double NaturalWidth(string svg)
    {
        var m = Regex.Match(svg, "<svg[^>]*?\\swidth=\"([0-9.]+)\"");
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
