using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;

namespace Micrograd.Notebooks.Tests;

/// <summary>The exported pages' markdown, math and numbering.</summary>
public sealed class PageTests
{
    private static async Task<NotebookRun> Run(TempFolder folder, string name, params (string, string)[] cells)
    {
        string path = folder.Write(name, Repo.Notebook(cells));
        return new NotebookRun(path, await NotebookSession.Open(path).RunAllAsync());
    }

    [Theory]
    [InlineData("f(a, b, c) = −a³ + sin(3b) − 1/c + b^2.5 − a^0.5")]
    [InlineData("the loss is −log(e^{l₃} / Σe^{lᵢ})")]
    [InlineData("H~2~O and x~i~, 2^10^")]
    [InlineData("==marked== ++inserted++ {.cls} *[HTML]: x")]
    public void Carets_and_tildes_in_prose_stay_text(string markdown)
    {
        string html = MarkdownRendering.ToHtml(markdown);
        Assert.DoesNotContain("<sup>", html);
        Assert.DoesNotContain("<sub>", html);
        Assert.DoesNotContain("<mark>", html);
        Assert.DoesNotContain("<ins>", html);
        Assert.Contains(markdown.Split(' ')[0], html);
    }

    [Fact]
    public void Dollar_math_becomes_math_spans_and_blocks_and_code_stays_code()
    {
        string html = MarkdownRendering.ToHtml("Here $b^{2.5} - a^{0.5}$ and `$\"x {y}\"`.\n\n$$\n\\frac{\\partial L}{\\partial a} = 6\n$$\n\n~~gone~~");
        Assert.Contains("<span class=\"math\">\\(b^{2.5} - a^{0.5}\\)</span>", html);
        Assert.Matches(@"<div class=""math"">\s*\\\[\s*\\frac\{\\partial L\}\{\\partial a\} = 6\s*\\\]</div>", html);
        Assert.Contains("<code>$&quot;x {y}&quot;</code>", html);
        Assert.Contains("<del>gone</del>", html);
        // $$…$$ within a line, as the course writes display formulas, is display math as in Jupyter, not inline math.
        string display = MarkdownRendering.ToHtml("$$f(a) = -a^3 + \\frac{1}{c} + a < b$$\n\nat $a$.");
        Assert.Contains("<span class=\"math display\">\\[f(a) = -a^3 + \\frac{1}{c} + a &lt; b\\]</span>", display);
        Assert.Contains("<span class=\"math\">\\(a\\)</span>", display);
    }

    [Fact]
    public async Task A_page_with_math_links_the_bundled_katex_and_a_page_without_links_nothing()
    {
        using var folder = new TempFolder();
        var math = await Run(folder, "01-m.dib", ("markdown", "# M\n\nThe slope $f'(x) = 6x - 4$."));
        var plain = await Run(folder, "02-p.dib", ("markdown", "# P\n\nNo formula, a price of 5 $ and 6 $."));
        string page = HtmlSite.Page("C", math, null, null);
        Assert.Contains("<link rel=\"stylesheet\" href=\"katex/katex.min.css\">", page);
        Assert.Contains("<script src=\"katex/katex.min.js\"></script>", page);
        Assert.Contains("katex.render(", page);
        Assert.DoesNotContain("http", page); // offline: nothing fetched
        string other = HtmlSite.Page("C", plain, null, null);
        Assert.DoesNotContain("katex/", other);
        Assert.DoesNotContain("<script", other);

        string site = Path.Combine(folder.Path, "site");
        HtmlSite.Write(site, "C", [math, plain]);
        Assert.True(File.Exists(Path.Combine(site, "katex", "katex.min.js")));
        Assert.True(File.Exists(Path.Combine(site, "katex", "LICENSE")));
        string css = File.ReadAllText(Path.Combine(site, "katex", "katex.min.css"));
        var fonts = Regex.Matches(css, @"url\((fonts/[^)]+\.woff2)\)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(fonts.Count >= 15, $"only {fonts.Count} fonts referenced");
        Assert.All(fonts, f => Assert.True(File.Exists(Path.Combine(site, "katex", f)), $"katex/{f} is referenced but missing"));
        Assert.DoesNotMatch(@"url\(\s*['""]?https?:", css);
    }

    [Fact]
    public async Task Code_cells_are_numbered_alone_and_notebooks_by_their_file_prefix()
    {
        using var folder = new TempFolder();
        var one = await Run(folder, "09b-solutions.dib", ("markdown", "# S"), ("csharp", "1"), ("markdown", "text"), ("csharp", "2"));
        string page = HtmlSite.Page("C", one, null, null);
        Assert.Contains("title=\"cell 2 of the notebook\">[1]</span><code>1</code>", page);
        Assert.Contains("title=\"cell 4 of the notebook\">[2]</span><code>2</code>", page);
        Assert.DoesNotContain("[3]", page);
        var two = await Run(folder, "01-derivatives.dib", ("markdown", "# D"));
        var three = await Run(folder, "appendix.dib", ("markdown", "# A"));
        string index = HtmlSite.Index("C", [two, one, three]);
        Assert.Contains("<tr><td>01</td>", index);
        Assert.Contains("<tr><td>09b</td>", index);
        Assert.Contains("<tr><td>3</td>", index); // no prefix: its place in the course
    }
}
