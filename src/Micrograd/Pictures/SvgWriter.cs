using System.Text;

namespace Micrograd.Pictures;

/// <summary>
/// Appends SVG elements with invariant, rounded numbers and escaped text, so the same picture
/// always gives the same bytes.
/// </summary>
internal sealed class SvgWriter
{
    public const string Font = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace";
    public const double CharWidth = 0.6;   // a monospace glyph is about 0.6 em wide

    private readonly StringBuilder _sb = new();

    /// <summary>
    /// Starts a picture of its natural size. It scales down to fit a narrower column (its own inline
    /// style, so it fits in VS Code, Jupyter and any page, whatever their CSS), never up.
    /// </summary>
    public SvgWriter(double width, double height, string cssClass)
    {
        _sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{cssClass}\" width=\"{C(width)}\" height=\"{C(height)}\" ")
           .Append($"viewBox=\"0 0 {C(width)} {C(height)}\" style=\"{FitStyle(width)}\" font-family=\"{Font}\" font-size=\"12\">\n");
    }

    /// <summary>The inline style that makes a picture of this natural width fit its column: as wide as the column, at most its natural width, in proportion.</summary>
    public static string FitStyle(double width) => $"display:block;width:100%;max-width:{C(width)}px;height:auto";

    public static double TextWidth(string text, double fontSize = 12) => text.Length * fontSize * CharWidth;

    private static string C(double x) => Pictures.Text.Coord(x);

    public SvgWriter Raw(string s)
    {
        _sb.Append(s);
        return this;
    }

    public SvgWriter Open(string element, string attributes = "")
    {
        _sb.Append('<').Append(element).Append(attributes.Length > 0 ? " " + attributes : "").Append(">\n");
        return this;
    }

    public SvgWriter Close(string element)
    {
        _sb.Append("</").Append(element).Append(">\n");
        return this;
    }

    public SvgWriter Title(string text) => Raw($"<title>{Pictures.Text.Escape(text)}</title>\n");

    public SvgWriter Rect(double x, double y, double w, double h, string style, double rx = 0) =>
        Raw($"<rect x=\"{C(x)}\" y=\"{C(y)}\" width=\"{C(w)}\" height=\"{C(h)}\"{(rx > 0 ? $" rx=\"{C(rx)}\"" : "")} {style}/>\n");

    public SvgWriter Line(double x1, double y1, double x2, double y2, string style) =>
        Raw($"<line x1=\"{C(x1)}\" y1=\"{C(y1)}\" x2=\"{C(x2)}\" y2=\"{C(y2)}\" {style}/>\n");

    public SvgWriter Circle(double cx, double cy, double r, string style) =>
        Raw($"<circle cx=\"{C(cx)}\" cy=\"{C(cy)}\" r=\"{C(r)}\" {style}/>\n");

    public SvgWriter Ellipse(double cx, double cy, double rx, double ry, string style) =>
        Raw($"<ellipse cx=\"{C(cx)}\" cy=\"{C(cy)}\" rx=\"{C(rx)}\" ry=\"{C(ry)}\" {style}/>\n");

    public SvgWriter Path(string d, string style) => Raw($"<path d=\"{d}\" {style}/>\n");

    /// <summary>Text; anchor is start, middle or end; the y is the text's middle.</summary>
    public SvgWriter Text(double x, double y, string text, string anchor = "middle", string style = "") =>
        Raw($"<text x=\"{C(x)}\" y=\"{C(y)}\" text-anchor=\"{anchor}\" dominant-baseline=\"central\"{(style.Length > 0 ? " " + style : "")}>{Micrograd.Pictures.Text.Escape(text)}</text>\n");

    public string End()
    {
        _sb.Append("</svg>\n");
        return _sb.ToString();
    }
}
