using System.Linq;
using System.Net;
using Markdig;
using Markdig.Extensions.EmphasisExtras;
using Markdig.Extensions.Mathematics;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Micrograd.Notebooks.Export;

/// <summary>
/// Markdown as the course writes it: CommonMark with tables, task lists, footnotes, links and
/// heading ids, and math in <c>$…$</c> / <c>$$…$$</c> (rendered by KaTeX, see <see cref="MathRendering"/>).
/// Left out on purpose: the extras that turn ordinary text into markup by accident, such as
/// <c>^</c> for superscript and <c>~</c> for subscript (<c>b^2.5 − a^0.5</c> is a formula, not
/// "2.5 − a" raised), <c>==mark==</c>, <c>++insert++</c>, <c>{attributes}</c>, abbreviations,
/// citations and lettered lists. Only <c>~~strikethrough~~</c> of the emphasis extras stays.
/// </summary>
internal static class MarkdownRendering
{
    public static readonly MarkdownPipeline Pipeline = Builder().Build();

    /// <summary>The course's extensions; untrusted pages use the same ones without raw HTML.</summary>
    public static MarkdownPipelineBuilder Builder() => new MarkdownPipelineBuilder()
        .UseAutoIdentifiers()
        .UsePipeTables()
        .UseGridTables()
        .UseTaskLists()
        .UseFootnotes()
        .UseAutoLinks()
        .UseMathematics()
        .UseEmphasisExtras(EmphasisExtraOptions.Strikethrough);

    /// <summary>Markdown to HTML (see <see cref="Parse"/> for the math rules).</summary>
    public static string ToHtml(string markdown) => Parse(markdown, Pipeline).ToHtml(Pipeline);

    /// <summary>
    /// Parses markdown, with math as Jupyter reads it. Inline math follows Pandoc's rule, stricter
    /// than Markdig's: the opening <c>$</c> has no space after it and the closing one no space before
    /// it, so "5 $ and 6 $" stays text. <c>$$…$$</c> inside a line is display math, as in Jupyter and
    /// VS Code (Markdig would make it inline): a <c>&lt;span class="math display"&gt;</c> that KaTeX
    /// typesets in display mode.
    /// </summary>
    public static MarkdownDocument Parse(string markdown, MarkdownPipeline pipeline)
    {
        var document = Markdig.Markdown.Parse(markdown, pipeline);
        foreach (var math in document.Descendants<MathInline>().ToList())
        {
            int open = math.Span.Start + math.DelimiterCount, close = math.Span.End - math.DelimiterCount;
            bool tight = open <= close && open < markdown.Length && close >= 0 &&
                         !char.IsWhiteSpace(markdown[open]) && !char.IsWhiteSpace(markdown[close]);
            if (!tight) math.ReplaceBy(new LiteralInline(markdown.Substring(math.Span.Start, math.Span.Length)));
            else if (math.DelimiterCount == 2)
                math.ReplaceBy(new HtmlInline($"<span class=\"math display\">\\[{WebUtility.HtmlEncode(math.Content.ToString())}\\]</span>"));
        }
        return document;
    }
}
