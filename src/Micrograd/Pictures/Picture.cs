using System.IO;

using Micrograd.Pictures.Display;

namespace Micrograd.Pictures;

/// <summary>
/// A finished drawing: self-contained SVG (no scripts, fonts or links to fetch) that shows the
/// same in a notebook, a browser, on GitHub and offline. Notebooks display it inline.
/// </summary>
[TypeFormatterSource(typeof(FormatterSource))]
public sealed class Picture
{
    public Picture(string svg, string? html = null)
    {
        Svg = svg;
        Html = html ?? svg;
    }

    /// <summary>The SVG document.</summary>
    public string Svg { get; }

    /// <summary>What a notebook shows: the SVG, or for an interactive picture the SVG with its controls.</summary>
    public string Html { get; }

    /// <summary>Writes the SVG to a file (UTF-8, no byte-order mark).</summary>
    public void Save(string path) => File.WriteAllText(path, Svg);

    public override string ToString() => Svg;
}
