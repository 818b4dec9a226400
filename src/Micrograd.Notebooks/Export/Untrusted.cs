using System;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Micrograd.Execution;

namespace Micrograd.Notebooks.Export;

/// <summary>
/// The site of a notebook that came from someone else (<c>--untrusted</c>): nothing in it can run
/// script. Markdown keeps its formatting but not its raw HTML, javascript: links or attributes;
/// an HTML output shows as its pictures (SVG as an image, which cannot run script) or as text.
/// </summary>
internal static partial class Untrusted
{
    private static readonly MarkdownPipeline Pipeline = Build();

    [GeneratedRegex(@"<svg[\s\S]*?</svg>", RegexOptions.IgnoreCase)]
    private static partial Regex Svg();

    private static MarkdownPipeline Build()
    {
        // The course's extensions (no {onclick=…} attributes, no iframes), without raw HTML.
        return MarkdownRendering.Builder().DisableHtml().Build();
    }

    public static string Markdown(string markdown)
    {
        var document = MarkdownRendering.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
            if (!Safe(link.Url, link.IsImage)) link.Url = "";
        foreach (var link in document.Descendants<AutolinkInline>())
            if (!Safe(link.Url, image: false)) link.Url = "";
        return Markdig.Markdown.ToHtml(document, Pipeline);
    }

    /// <summary>An output as it shows in an untrusted page; null for outputs that are text anyway.</summary>
    public static string? Output(Output output)
    {
        if (output is not DisplayOutput d) return null;
        var svg = d.Data.FirstOrDefault(x => x.MimeType == "image/svg+xml").Content;
        if (svg is not null) return Image(svg);
        if (d.MimeType != "text/html") return null;
        var pictures = Svg().Matches(d.Content).Select(m => Image(m.Value)).ToArray();
        if (pictures.Length > 0) return string.Concat(pictures);
        string text = d.Data.FirstOrDefault(x => x.MimeType == "text/plain").Content ?? d.Content;
        return $"<pre class=\"output text\">{WebUtility.HtmlEncode(text)}</pre>\n";
    }

    private static string Image(string svg)
    {
        if (!svg.Contains("xmlns=\"http://www.w3.org/2000/svg\"", StringComparison.Ordinal))
            svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"" + svg[4..];
        return $"<div class=\"output html\"><img alt=\"picture\" src=\"data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(svg))}\"></div>\n";
    }

    /// <summary>http(s), mailto, relative links and anchors; for images also raster data: URLs. Never javascript:, vbscript: or other data:.</summary>
    private static bool Safe(string? url, bool image)
    {
        if (string.IsNullOrEmpty(url)) return true;
        string u = new string(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray()).ToLowerInvariant();
        int colon = u.IndexOf(':');
        if (colon < 0 || u.IndexOfAny(['/', '?', '#']) is int s && s >= 0 && s < colon) return true; // relative
        string scheme = u[..colon];
        if (scheme is "http" or "https" or "mailto") return true;
        return image && Regex.IsMatch(u, "^data:image/(png|jpeg|gif|webp);");
    }
}
