using System.Linq;
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
    public static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAutoIdentifiers()
        .UsePipeTables()
        .UseGridTables()
        .UseTaskLists()
        .UseFootnotes()
        .UseAutoLinks()
        .UseMathematics()
        .UseEmphasisExtras(EmphasisExtraOptions.Strikethrough)
        .Build();

    /// <summary>
    /// Markdown to HTML. Inline math follows Pandoc's (and Jupyter's) rule, stricter than Markdig's:
    /// the opening <c>$</c> has no space after it and the closing one no space before it, so "5 $ and
    /// 6 $" stays text.
    /// </summary>
    public static string ToHtml(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        foreach (var math in document.Descendants<MathInline>().ToList())
        {
            int open = math.Span.Start + math.DelimiterCount, close = math.Span.End - math.DelimiterCount;
            bool tight = open <= close && open < markdown.Length && close >= 0 &&
                         !char.IsWhiteSpace(markdown[open]) && !char.IsWhiteSpace(markdown[close]);
            if (!tight) math.ReplaceBy(new LiteralInline(markdown.Substring(math.Span.Start, math.Span.Length)));
        }
        return document.ToHtml(Pipeline);
    }
}
