using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using Markdig;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Notebooks.Export;

/// <summary>
/// The course as a static site: an index with the table of contents, one page per notebook with
/// previous/next links, markdown rendered, code shown, outputs inline. Everything is in the pages
/// (no CDN, no external file), and the same runs give the same bytes.
/// </summary>
internal static class HtmlSite
{

    /// <summary>Writes a whole site at once, without a manifest (for tests and tools; the CLI writes through <see cref="SiteFolder"/>).</summary>
    public static void Write(string folder, string title, IReadOnlyList<NotebookRun> runs, string intro = "")
    {
        Directory.CreateDirectory(folder);
        MathRendering.WriteAssets(folder);
        File.WriteAllText(Path.Combine(folder, "index.html"), Index(title, runs, intro));
        for (int i = 0; i < runs.Count; i++)
            File.WriteAllText(Path.Combine(folder, SiteEntry.Of(runs[i]).Page + ".html"),
                Page(title, runs[i], i > 0 ? runs[i - 1] : null, i + 1 < runs.Count ? runs[i + 1] : null));
    }

    /// <param name="intro">Markdown shown above the table of contents (the notebooks folder's README, without its title).</param>
    public static string Index(string title, IReadOnlyList<NotebookRun> runs, string intro = "") =>
        Index(title, runs.Select(SiteEntry.Of).ToArray(), intro, trusted: true);

    public static string Index(string title, IReadOnlyList<SiteEntry> notebooks, string intro, bool trusted)
    {
        var body = new StringBuilder();
        body.Append($"<h1>{E(title)}</h1>\n{Md(intro, trusted)}<table class=\"toc\">\n<thead><tr><th>#</th><th>notebook</th><th>what you learn</th><th>cells</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < notebooks.Count; i++)
        {
            var r = notebooks[i];
            string problems = string.Join(", ", new[] { r.Failed == 0 ? null : $"{r.Failed} failed", r.Status }.OfType<string>());
            string status = problems.Length == 0 ? "" : $" <span class=\"failed\">{E(problems)}</span>";
            body.Append($"<tr><td>{E(NotebookNumber(Path.GetFileNameWithoutExtension(r.Source), i + 1))}</td><td><a href=\"{E(r.Href)}\">{E(r.Title)}</a></td><td>{Inline(r.Summary, trusted)}</td><td>{r.Cells}{status}</td></tr>\n");
        }
        body.Append("</tbody>\n</table>\n");
        return Layout(title, title, body.ToString());
    }

    public static string Page(string siteTitle, NotebookRun run, NotebookRun? previous, NotebookRun? next) =>
        Page(siteTitle, run, previous is null ? null : SiteEntry.Of(previous), next is null ? null : SiteEntry.Of(next), trusted: true);

    /// <summary>The previous/next links of a page: one line, found again by <see cref="SiteFolder"/> when a neighbour changes.</summary>
    public static string Nav(SiteEntry? previous, SiteEntry? next) => "<nav>" +
        (previous is null ? "<span></span>" : $"<a href=\"{E(previous.Href)}\">← {E(previous.Title)}</a>") +
        $"<a href=\"index.html\">contents</a>" +
        (next is null ? "<span></span>" : $"<a href=\"{E(next.Href)}\">{E(next.Title)} →</a>") + "</nav>\n";

    /// <param name="trusted">false: markdown without raw HTML, javascript: links or attributes, and HTML outputs as text or SVG images.</param>
    /// <param name="live">The page data of a live page (<see cref="LiveSite.PageData"/>); null for a static page.</param>
    public static string Page(string siteTitle, NotebookRun run, SiteEntry? previous, SiteEntry? next, bool trusted, string? live = null)
    {
        string nav = Nav(previous, next);
        var body = new StringBuilder(nav);
        int codeCells = 0; // code cells are numbered [1], [2], … as in Jupyter; markdown cells are not counted
        foreach (var cell in run.Cells)
        {
            if (cell.Kernel == "markdown")
            {
                body.Append($"<section class=\"cell markdown\" id=\"cell-{cell.Number}\">\n{Md(cell.Source, trusted)}</section>\n");
                continue;
            }
            body.Append($"<section class=\"cell code\" id=\"cell-{cell.Number}\">\n");
            body.Append($"<pre class=\"source\"><span class=\"n\" title=\"cell {cell.Number} of the notebook\">[{++codeCells}]</span><code>{E(cell.Source)}</code></pre>\n");
            if (cell.Note is { } note) body.Append($"<p class=\"note\">{E(note)}</p>\n");
            foreach (var output in cell.Outputs) body.Append(trusted ? Output(output) : Untrusted.Output(output) ?? Output(output));
            body.Append("</section>\n");
        }
        body.Append(nav);
        return Layout($"{run.Title} · {siteTitle}", run.Title, body.ToString(), live);
    }

    private static string Output(Output output) => output switch
    {
        DisplayOutput { MimeType: "text/html" } d => $"<div class=\"output html\">{d.Content}</div>\n",
        DisplayOutput { MimeType: "image/svg+xml" } d => $"<div class=\"output html\">{d.Content}</div>\n",
        DisplayOutput d => $"<pre class=\"output text\">{E(d.Content)}</pre>\n",
        StreamOutput s => $"<pre class=\"output stream\">{E(s.Text)}</pre>\n",
        ErrorOutput e => $"<pre class=\"output error\">{E(e.Message)}</pre>\n",
        _ => "",
    };

    /// <summary>A notebook's number in the course: its file name's prefix (01, 09b), else its position.</summary>
    internal static string NotebookNumber(string slug, int position)
    {
        var m = System.Text.RegularExpressions.Regex.Match(slug, @"^(\d+[a-z]?)(?=[-_ .]|$)");
        return m.Success ? m.Groups[1].Value : position.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Markdown as HTML; what Markdig cannot render (too deeply nested, say) is shown as text with the reason.</summary>
    private static string Md(string markdown, bool trusted)
    {
        try
        {
            return trusted ? MarkdownRendering.ToHtml(markdown) : Untrusted.Markdown(markdown);
        }
        catch (Exception e)
        {
            return $"<p class=\"note\">this markdown could not be rendered ({E(e.Message)}); it is shown as text</p>\n<pre>{E(markdown)}</pre>\n";
        }
    }

    private static string Inline(string markdown, bool trusted)
    {
        string html = Md(markdown, trusted).Trim();
        return html.StartsWith("<p>") && html.EndsWith("</p>") ? html[3..^4] : html;
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Layout(string pageTitle, string heading, string body, string? live = null) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
        $"<title>{E(pageTitle)}</title>\n<style>\n{Css}</style>\n{MathRendering.Head(body)}{(live is null ? "" : LiveSite.Head)}</head>\n" +
        $"<body>\n<main>\n{body}</main>\n{MathRendering.Scripts(body)}{(live is null ? "" : LiveSite.Scripts(live))}</body>\n</html>\n";

    private const string Css = """
        body { margin: 0; background: #f6f6f3; color: #1d1d1d; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main { max-width: 1100px; margin: 0 auto; padding: 12px 24px 48px; }
        nav { display: flex; justify-content: space-between; gap: 12px; margin: 12px 0; font-size: 14px; }
        a { color: #1f5fa8; }
        h1, h2, h3 { line-height: 1.25; }
        code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13.5px; }
        .cell { margin: 14px 0; }
        .cell.markdown { padding: 0 4px; }
        .cell.markdown code { background: #ebebe6; padding: 1px 4px; border-radius: 3px; }
        pre.source { background: #ffffff; border: 1px solid #d8d8d2; border-left: 4px solid #1f5fa8; border-radius: 4px; padding: 10px 12px; overflow-x: auto; margin: 0; }
        pre.source .n { color: #999; user-select: none; margin-right: 10px; }
        .output { margin: 6px 0 0 0; overflow-x: auto; }
        pre.output { background: #ffffff; border: 1px solid #e4e4de; border-radius: 4px; padding: 6px 12px; white-space: pre-wrap; }
        pre.output.error { color: #a31515; background: #fff4f4; border-color: #e8b4b4; }
        div.output.html { background: #ffffff; border: 1px solid #e4e4de; border-radius: 4px; padding: 6px; }
        div.output.html svg { max-width: 100%; height: auto; }
        .katex-display { overflow-x: auto; overflow-y: hidden; }
        p.note { color: #8a6d00; font-size: 14px; margin: 4px 0; }
        table { border-collapse: collapse; }
        table.toc td, table.toc th { border-bottom: 1px solid #ddd; padding: 6px 10px; text-align: left; vertical-align: top; }
        .failed { color: #a31515; font-weight: bold; }
        blockquote { border-left: 4px solid #c9a227; margin: 8px 0; padding: 2px 12px; background: #fffbe6; }

        """;
}
