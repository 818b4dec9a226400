using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Dib;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;
using Microsoft.CodeAnalysis.CSharp;

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
    public async Task Ipynb_is_nbformat_4_5_with_the_course_kernelspec_cell_ids_and_every_kind_of_output()
    {
        using var folder = new TempFolder();
        var run = await Run(folder, "n.dib", ("markdown", "# N\ntext"),
            ("csharp", "Console.WriteLine(\"hi\");\nConsole.Error.WriteLine(\"careful\");\ndisplay(7);\n42"),
            ("csharp", "int x = \"s\";"),
            ("csharp", "throw new InvalidOperationException(\"no\");"),
            ("csharp", "var y = 1;"));
        string json = Ipynb.ToJson(run);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(4, root.GetProperty("nbformat").GetInt32());
        Assert.Equal(5, root.GetProperty("nbformat_minor").GetInt32());
        var metadata = root.GetProperty("metadata");
        Assert.Equal("""{"display_name":"C# (micrograd)","language":"csharp","name":"micrograd-csharp"}""", Compact(metadata.GetProperty("kernelspec")));
        string version = LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString(); // as the kernel reports it
        Assert.Equal($$"""{"codemirror_mode":"text/x-csharp","file_extension":".cs","mimetype":"text/x-csharp","name":"csharp","pygments_lexer":"csharp","version":"{{version}}"}""",
            Compact(metadata.GetProperty("language_info")));
        Assert.False(metadata.TryGetProperty("polyglot_notebook", out _)); // this .dib has no #!meta cell (the course's twins carry theirs)

        var cells = root.GetProperty("cells").EnumerateArray().ToArray();
        var ids = cells.Select(c => c.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[a-z0-9-]{8,64}$", id));
        Assert.All(cells, c => Assert.True(c.GetProperty("metadata").GetProperty("polyglot_notebook").TryGetProperty("kernelName", out _)));
        Assert.Equal("markdown", cells[0].GetProperty("cell_type").GetString());
        Assert.False(cells[0].TryGetProperty("outputs", out _));
        Assert.Equal(new[] { "# N\n", "text" }, cells[0].GetProperty("source").EnumerateArray().Select(s => s.GetString()));

        var outputs = cells[1].GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal(new[] { "stream", "stream", "display_data", "execute_result" }, outputs.Select(o => o.GetProperty("output_type").GetString()));
        Assert.Equal(("stdout", "hi\n"), (outputs[0].GetProperty("name").GetString(), outputs[0].GetProperty("text")[0].GetString()));
        Assert.Equal(("stderr", "careful\n"), (outputs[1].GetProperty("name").GetString(), outputs[1].GetProperty("text")[0].GetString()));
        Assert.Equal("7", outputs[2].GetProperty("data").GetProperty("text/plain")[0].GetString());
        Assert.Equal("42", outputs[3].GetProperty("data").GetProperty("text/plain")[0].GetString());
        Assert.Equal(1, cells[1].GetProperty("execution_count").GetInt32());
        Assert.Equal(1, outputs[3].GetProperty("execution_count").GetInt32());

        var compile = cells[2].GetProperty("outputs")[0];
        Assert.Equal(("error", "CompilationError"), (compile.GetProperty("output_type").GetString(), compile.GetProperty("ename").GetString()));
        Assert.Contains("error CS0029", compile.GetProperty("evalue").GetString());
        var thrown = cells[3].GetProperty("outputs")[0];
        Assert.Equal("InvalidOperationException", thrown.GetProperty("ename").GetString());
        Assert.Equal("n.dib:cell 4:line 1: InvalidOperationException: no", thrown.GetProperty("traceback")[0].GetString());
        Assert.Equal(new[] { 2, 3, 4 }, cells.Skip(2).Take(3).Select(c => c.GetProperty("execution_count").GetInt32()));
        Assert.Empty(cells[4].GetProperty("outputs").EnumerateArray());

        Assert.EndsWith("\n}\n", json);
        Assert.Contains("\n \"cells\": [\n  {\n   \"cell_type\"", json); // as Jupyter writes it: keys sorted, indent 1
    }

    [Fact]
    public async Task Cell_ids_come_from_the_notebook_and_the_cell_so_reexport_is_identical()
    {
        using var folder = new TempFolder();
        var a = await Run(folder, "a.dib", ("markdown", "# A"), ("csharp", "1"));
        var b = await Run(folder, "b.dib", ("markdown", "# A"), ("csharp", "1"));
        string[] Ids(NotebookRun run) => JsonDocument.Parse(Ipynb.ToJson(run)).RootElement.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(Ids(a), Ids(await Run(folder, "a.dib", ("markdown", "# other text"), ("csharp", "2"))));
        Assert.NotEqual(Ids(a), Ids(b));
    }

    [Fact]
    public void A_notebook_with_outputs_converts_back_to_a_dib_without_them()
    {
        const string json = """
            {"cells": [
              {"cell_type": "markdown", "id": "a", "metadata": {}, "source": ["# T\n", "x"]},
              {"cell_type": "code", "id": "b", "execution_count": 3, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi"}],
               "source": "\n1 + 1\n"},
              {"cell_type": "code", "id": "c", "execution_count": null, "metadata": {"polyglot_notebook": {"kernelName": "fsharp"}}, "outputs": [], "source": []},
              {"cell_type": "raw", "id": "d", "metadata": {}, "source": "raw"}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """;
        var warnings = new List<string>();
        var dib = Ipynb.ToDib(json, "t.ipynb", "t.dib", warnings);
        Assert.Equal("#!markdown\n\n# T\nx\n\n#!csharp\n\n1 + 1\n\n#!fsharp\n\n\n", DibFormat.Write(dib));
        Assert.Equal("t.ipynb: cell 4 is a raw cell, which a .dib cannot hold; it was left out", Assert.Single(warnings));
    }

    [Fact]
    public void A_python_notebook_converts_with_a_warning_and_older_polyglot_kernel_names_are_read()
    {
        const string json = """
            {"cells": [{"cell_type": "code", "metadata": {"dotnet_interactive": {"language": "fsharp"}}, "source": "1"},
                       {"cell_type": "code", "metadata": {}, "source": "2"}],
             "metadata": {"kernelspec": {"name": "python3", "language": "python"}}, "nbformat": 4, "nbformat_minor": 4}
            """;
        var warnings = new List<string>();
        var dib = Ipynb.ToDib(json, "p.ipynb", "p.dib", warnings);
        Assert.Equal(new[] { "fsharp", "csharp" }, dib.Cells.Select(c => c.Kernel));
        Assert.Equal("p.ipynb: its kernel's language is 'python', not C#; its code cells became csharp cells", Assert.Single(warnings));
    }

    [Fact]
    public void Every_mime_type_a_display_offers_is_kept_and_the_trailing_value_needs_an_execution_count()
    {
        using var folder = new TempFolder();
        string path = folder.Write("p.dib", Repo.Notebook(("csharp", "x")));
        DisplayOutput picture = new([("text/html", "<svg>\n</svg>"), ("image/svg+xml", "<svg>\n</svg>"), ("text/plain", "a picture")], "d1");
        var run = new NotebookRun(path, [
            new CellResult(1, "csharp", "x", CellStatus.Ran, [picture, picture with { IsResult = true }], TimeSpan.Zero),
            new CellResult(2, "csharp", "y", CellStatus.NotRun, [picture with { IsResult = true }], TimeSpan.Zero)]);
        using var doc = JsonDocument.Parse(Ipynb.ToJson(run));
        var cells = doc.RootElement.GetProperty("cells");
        var outputs = cells[0].GetProperty("outputs");
        Assert.Equal(new[] { "image/svg+xml", "text/html", "text/plain" }, outputs[0].GetProperty("data").EnumerateObject().Select(p => p.Name));
        Assert.Equal(new[] { "<svg>\n", "</svg>" }, outputs[0].GetProperty("data").GetProperty("image/svg+xml").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(("display_data", "execute_result"), (outputs[0].GetProperty("output_type").GetString(), outputs[1].GetProperty("output_type").GetString()));
        Assert.Equal(JsonValueKind.Null, cells[1].GetProperty("execution_count").ValueKind);
        Assert.Equal("display_data", cells[1].GetProperty("outputs")[0].GetProperty("output_type").GetString()); // no count, so not an execute_result
    }

    [Theory]
    [InlineData("[1, 2", "t.ipynb: not JSON (line 1")]
    [InlineData("[]", "t.ipynb: not a Jupyter notebook: the JSON is not an object")]
    [InlineData("""{"cells": []}""", "t.ipynb: not a Jupyter notebook: it has no nbformat version")]
    [InlineData("""{"nbformat": 3, "worksheets": []}""", "t.ipynb: nbformat 3, but only nbformat 4 notebooks can be converted")]
    [InlineData("""{"nbformat": 4}""", "t.ipynb: not an nbformat 4 notebook: it has no list of cells")]
    [InlineData("""{"nbformat": 4, "cells": [{"cell_type": "code"}]}""", "t.ipynb: cell 1 has no source")]
    [InlineData("""{"nbformat": 4, "cells": [{"cell_type": "heading", "source": ""}]}""", "t.ipynb: cell 1 has an unknown cell_type 'heading'")]
    [InlineData("""{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "metadata": {"polyglot_notebook": {"kernelName": "cobol"}}}]}""", "t.ipynb: cell 1 cannot be a .dib cell as it is")] // #!cobol would be text of the cell before
    [InlineData("""{"nbformat": 4, "cells": [{"cell_type": "markdown", "source": "a\n#!csharp\nb"}]}""", "t.ipynb: cell 1 cannot be a .dib cell as it is")]
    public void A_bad_notebook_is_refused_in_one_line_that_says_why(string json, string message)
    {
        var e = Assert.Throws<IpynbFormatException>(() => Ipynb.ToDib(json, "t.ipynb", "t.dib", new List<string>()));
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    private static string Compact(JsonElement e) => JsonSerializer.Serialize(e);
}
