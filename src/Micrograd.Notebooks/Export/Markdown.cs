using Markdig;
using Markdig.Extensions.EmphasisExtras;

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

    public static string ToHtml(string markdown) => Markdig.Markdown.ToHtml(markdown, Pipeline);
}
