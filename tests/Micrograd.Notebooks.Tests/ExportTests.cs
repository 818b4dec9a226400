using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;

namespace Micrograd.Notebooks.Tests;

public sealed class ExportTests
{
    private static async Task<NotebookRun> Run(TempFolder folder, string name, params (string, string)[] cells)
    {
        string path = folder.Write(name, Repo.Notebook(cells));
        return new NotebookRun(path, await NotebookSession.Open(path).RunAllAsync());
    }

    [Fact]
    public async Task Text_outputs_with_markup_stay_text_in_html()
    {
        using var folder = new TempFolder();
        var run = await Run(folder, "s.dib", ("csharp", "Console.WriteLine(\"<script>alert(1)</script>\");\n\"<b>bold?</b>\""));
        string page = HtmlSite.Page("Course", run, null, null);
        Assert.DoesNotContain("<script>alert", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Contains("&lt;b&gt;bold?&lt;/b&gt;", page);
    }

    [Fact]
    public async Task Pages_render_markdown_code_outputs_and_links()
    {
        using var folder = new TempFolder();
        var one = await Run(folder, "01-one.dib", ("markdown", "# One\n\nLearn **this**."), ("csharp", "1 + 1"));
        var two = await Run(folder, "02-two.dib", ("markdown", "# Two\n\nThen that."), ("csharp", "throw new Exception(\"bad\");"));
        string page = HtmlSite.Page("Course", one, null, two);
        Assert.Contains("<h1 id=\"one\">One</h1>", page);
        Assert.Contains("<strong>this</strong>", page);
        Assert.Contains("<code>1 + 1</code>", page);
        Assert.Contains("<pre class=\"output text\">2</pre>", page);
        Assert.Contains("<a href=\"02-two.html\">Two →</a>", page);
        Assert.DoesNotContain("http", page.Replace("http-equiv", "")); // offline: nothing fetched
        string index = HtmlSite.Index("Course", [one, two]);
        Assert.Contains("<a href=\"01-one.html\">One</a></td><td>Learn <strong>this</strong>.</td>", index);
        Assert.Contains("1 failed", index);
        Assert.Contains("<pre class=\"output error\">02-two.dib:cell 2:line 1: Exception: bad</pre>", HtmlSite.Page("Course", two, one, null));
    }

    [Fact]
    public async Task The_same_notebook_exports_the_same_bytes()
    {
        using var folder = new TempFolder();
        (string, string)[] cells = [("markdown", "# Same"), ("csharp", "display(new[] { 1, 2 });\n3.5")];
        var a = await Run(folder, "a.dib", cells);
        var b = await Run(folder, "a.dib", cells);
        Assert.Equal(HtmlSite.Page("C", a, null, null), HtmlSite.Page("C", b, null, null));
        Assert.Equal(Ipynb.ToJson(a), Ipynb.ToJson(b));
    }

    [Fact]
    public async Task Ipynb_is_nbformat_4_with_the_dotnet_kernelspec_and_outputs()
    {
        using var folder = new TempFolder();
        var run = await Run(folder, "n.dib", ("markdown", "# N\ntext"), ("csharp", "Console.WriteLine(\"hi\");\n42"), ("csharp", "int x = \"s\";"));
        using var doc = JsonDocument.Parse(Ipynb.ToJson(run));
        var root = doc.RootElement;
        Assert.Equal(4, root.GetProperty("nbformat").GetInt32());
        Assert.Equal(".net-csharp", root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        var cells = root.GetProperty("cells").EnumerateArray().ToArray();
        Assert.Equal("markdown", cells[0].GetProperty("cell_type").GetString());
        Assert.Equal(new[] { "# N\n", "text" }, cells[0].GetProperty("source").EnumerateArray().Select(s => s.GetString()));
        var outputs = cells[1].GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal("stream", outputs[0].GetProperty("output_type").GetString());
        Assert.Equal("42", outputs[1].GetProperty("data").GetProperty("text/plain")[0].GetString());
        Assert.Equal(1, cells[1].GetProperty("execution_count").GetInt32());
        Assert.Equal("error", cells[2].GetProperty("outputs")[0].GetProperty("output_type").GetString());
        Assert.All(cells.Skip(1), c => Assert.True(c.TryGetProperty("outputs", out _)));
    }
}
