namespace Micrograd.Pictures.Display;

/// <summary>The HTML a notebook shows for each of this library's types.</summary>
public static class Html
{
    /// <summary>The HTML for a Value or a picture; null for anything else.</summary>
    public static string? Of(object instance) => instance switch
    {
        Value v => ValueCard.Render(v),
        Picture p => Wrap(p.Html),
        Charts.Chart c => Wrap(c.ToPicture().Html),
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

    private static string Wrap(string inner) => "<div class=\"mg-picture\" style=\"overflow-x:auto\">" + inner + "</div>";
}
