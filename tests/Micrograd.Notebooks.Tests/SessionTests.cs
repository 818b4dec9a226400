using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Micrograd.Notebooks.Dib;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Micrograd.Notebooks.Tests;

public sealed class SessionTests
{
    private static async Task<(NotebookSession Session, CellResult[] Results)> Run(params (string Kernel, string Source)[] cells)
    {
        using var folder = new TempFolder();
        var session = NotebookSession.Open(folder.Write("t.dib", Repo.Notebook(cells)), new SessionOptions { CellTimeout = TimeSpan.FromSeconds(30) });
        var results = (await session.RunAllAsync()).ToArray();
        return (session, results);
    }

    private static string[] Texts(CellResult r) => r.Outputs.Select(o => o switch
    {
        DisplayOutput d => d.Content,
        StreamOutput s => "stdout: " + s.Text,
        ErrorOutput e => "error: " + e.Message,
        _ => "?",
    }).ToArray();

    [Fact]
    public async Task State_carries_across_cells_and_the_trailing_expression_is_shown()
    {
        var (_, r) = await Run(("csharp", "var x = 20;"), ("csharp", "x + 1"), ("csharp", "x.ToString();"));
        Assert.Empty(r[0].Outputs);
        Assert.Equal(new[] { "21" }, Texts(r[1]));
        Assert.Empty(r[2].Outputs); // a semicolon: nothing shown
        Assert.All(r, c => Assert.Equal(CellStatus.Ran, c.Status));
    }

    [Fact]
    public async Task Only_the_kernels_default_usings_are_in_scope()
    {
        var (_, r) = await Run(("csharp", "new List<int> { 1, 2 }.Sum()"), ("csharp", "new StringBuilder(\"ab\").Length"), ("csharp", "Regex.IsMatch(\"a\", \"a\")"));
        Assert.Equal(new[] { "3" }, Texts(r[0]));
        Assert.Equal(new[] { "2" }, Texts(r[1]));
        Assert.Equal(CellStatus.Failed, r[2].Status); // System.Text.RegularExpressions is not a default using
        Assert.Contains("t.dib:cell 3:line 1: error CS0103: The name 'Regex' does not exist", Texts(r[2])[0]);
    }

    [Fact]
    public async Task A_cell_of_only_usings_references_or_comments_runs_and_what_it_brings_carries_on()
    {
        string engine = Path.Combine(Repo.Root, "artifacts", "bin", "Micrograd", "debug", "Micrograd.dll");
        var (_, r) = await Run(
            ("csharp", $"#r \"{engine}\""),
            ("csharp", "using System.Text.RegularExpressions;"),
            ("csharp", "// a note to myself"),
            ("csharp", ""),
            ("csharp", "Regex.IsMatch(\"ab\", \"b\") + \" \" + new Micrograd.Value(2.0).Data"));
        Assert.All(r, c => Assert.Equal(CellStatus.Ran, c.Status));
        Assert.All(r[..4], c => Assert.Empty(c.Outputs));
        Assert.Equal(new[] { "True 2" }, Texts(r[4]));
    }

    [Fact]
    public async Task Display_stays_one_method_after_a_reference_and_a_cell_that_needs_the_whole_framework()
    {
        // The whole framework comes in at cell 3, a cell of usings only (System.Text.Json is not an everyday reference);
        // each cell carrying its own default usings made display ambiguous there after a #r.
        string engine = Path.Combine(Repo.Root, "artifacts", "bin", "Micrograd", "debug", "Micrograd.dll");
        var (_, r) = await Run(
            ("csharp", $"#r \"{engine}\"\n\"engine\""),
            ("csharp", "display(1);"),
            ("csharp", "using System.Text.Json;"),
            ("csharp", "JsonSerializer.Serialize(new[] { 1, 2 })"),
            ("csharp", "display(2);\nnew List<int> { 3 }.Sum()"));
        Assert.All(r, c => Assert.Equal(CellStatus.Ran, c.Status));
        Assert.Equal(new[] { "[1,2]" }, Texts(r[3]));
        Assert.Equal(new[] { "2", "3" }, Texts(r[4]));
    }

    [Fact]
    public async Task A_cell_that_throws_keeps_what_it_declared_before_the_exception_as_the_kernel_does()
    {
        var (_, r) = await Run(
            ("csharp", "var x = 5;\nint Twice(int n) => 2 * n;\nthrow new InvalidOperationException(\"boom\");"),
            ("csharp", "Twice(x) + 1"),
            ("csharp", "var y = ;"),
            ("csharp", "y"));
        Assert.Equal(CellStatus.Failed, r[0].Status);
        Assert.Contains("t.dib:cell 1:line 3: InvalidOperationException: boom", Texts(r[0])[0]);
        Assert.Equal(new[] { "11" }, Texts(r[1]));
        Assert.Contains("error CS0103: The name 'y' does not exist", Texts(r[3])[0]); // a cell that does not compile leaves nothing
    }

    [Fact]
    public async Task A_class_can_be_redefined_in_a_later_cell()
    {
        var (_, r) = await Run(
            ("csharp", "class Value { public int Data = 1; }\nnew Value().Data"),
            ("csharp", "class Value { public string Data = \"two\"; }\nnew Value().Data"));
        Assert.Equal(new[] { "1" }, Texts(r[0]));
        Assert.Equal(new[] { "two" }, Texts(r[1]));
    }

    [Fact]
    public async Task Display_shows_values_in_order_with_console_output_and_update_replaces_in_place()
    {
        var (_, r) = await Run(
            ("csharp", "Console.WriteLine(\"before\");\nvar shown = display(1);\nConsole.WriteLine(\"after\");\ndisplay(\"second\");\nshown.Update(2);"),
            ("csharp", "shown.Update(3);\n\"done\""));
        Assert.Equal(new[] { "stdout: before\n", "3", "stdout: after\n", "second" }, Texts(r[0]));
        Assert.Equal(new[] { "done" }, Texts(r[1]));
    }

    [Fact]
    public async Task Compile_errors_name_notebook_cell_and_line()
    {
        var (_, r) = await Run(("csharp", "var a = 1;"), ("csharp", "var b = 2;\nint c = \"three\";"));
        Assert.Equal(CellStatus.Failed, r[1].Status);
        Assert.Equal("error: t.dib:cell 2:line 2: error CS0029: Cannot implicitly convert type 'string' to 'int'", Texts(r[1]).Single());
    }

    [Fact]
    public async Task Exceptions_name_notebook_cell_and_line_and_later_cells_still_run()
    {
        var (_, r) = await Run(
            ("csharp", "int Fail() => throw new InvalidOperationException(\"boom\");"),
            ("csharp", "var ok = 1;\nConsole.WriteLine(\"partial\");\nFail();"),
            ("csharp", "ok + 1"));
        Assert.Equal(new[] { "stdout: partial\n", "error: t.dib:cell 2:line 3: InvalidOperationException: boom" }, Texts(r[1]));
        Assert.Equal(new[] { "2" }, Texts(r[2])); // 'ok' was declared in the failed cell before it threw: kept, as in the C# kernel
    }

    [Fact]
    public async Task A_cell_that_runs_too_long_is_stopped_and_the_rest_is_not_run()
    {
        using var folder = new TempFolder();
        var session = NotebookSession.Open(folder.Write("slow.dib", Repo.Notebook(
            ("csharp", "1"), ("csharp", "System.Threading.Thread.Sleep(15000);"), ("csharp", "2"))),
            new SessionOptions { CellTimeout = TimeSpan.FromSeconds(0.5) });
        var r = (await session.RunAllAsync()).ToArray();
        Assert.Equal(CellStatus.Ran, r[0].Status);
        Assert.Equal(CellStatus.Failed, r[1].Status);
        Assert.Equal("error: slow.dib:cell 2: stopped after 0.5 s (the time limit for a cell)", Texts(r[1]).Single());
        Assert.Equal(CellStatus.NotRun, r[2].Status);
        Assert.Contains("timed out", r[2].Note);
    }

    [Fact]
    public async Task A_relative_reference_resolves_against_the_notebooks_folder()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "lib"));
        var tree = CSharpSyntaxTree.ParseText("namespace Tiny { public static class Answer { public static int Get() => 42; } }");
        var compilation = CSharpCompilation.Create("Tiny", [tree],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.True(compilation.Emit(Path.Combine(folder.Path, "lib", "Tiny.dll")).Success);
        Directory.CreateDirectory(Path.Combine(folder.Path, "notebooks"));
        string path = folder.Write("notebooks/r.dib", Repo.Notebook(("csharp", "#r \"../lib/Tiny.dll\"\nTiny.Answer.Get()")));
        var r = await NotebookSession.Open(path).RunCellAsync(1);
        Assert.Equal(CellStatus.Ran, r.Status);
        Assert.Equal(new[] { "42" }, Texts(r));
    }

    [Fact]
    public async Task Cells_run_in_the_notebooks_folder_like_the_kernel()
    {
        using var folder = new TempFolder();
        string path = folder.Write("w.dib", Repo.Notebook(("csharp", "System.IO.Directory.GetCurrentDirectory()")));
        var r = await NotebookSession.Open(path).RunCellAsync(1);
        Assert.Equal(Path.GetFullPath(folder.Path), Texts(r).Single());
    }

    [Fact]
    public async Task Nuget_references_and_magic_commands_are_refused_clearly()
    {
        var (_, r) = await Run(("csharp", "// offline\n#r \"nuget: Plotly.NET\""), ("csharp", "#!time\n1"), ("csharp", "1\n#!cshrap"));
        Assert.Equal("error: t.dib:cell 1:line 2: #r \"nuget: Plotly.NET\" needs NuGet, and this runner is offline; reference a local .dll instead (#r \"path/to/library.dll\")", Texts(r[0]).Single());
        Assert.Equal("error: t.dib:cell 2:line 1: the magic command #!time is not supported by this runner", Texts(r[1]).Single());
        Assert.Equal("error: t.dib:cell 3:line 2: #!cshrap is neither a kernel nor a magic command (did you mean #!csharp?)", Texts(r[2]).Single());
    }

    [Fact]
    public async Task Markdown_is_kept_and_other_kernels_are_reported_as_skipped()
    {
        var (session, r) = await Run(("markdown", "# Hi"), ("fsharp", "let x = 1"), ("csharp", "1"));
        Assert.Equal(CellStatus.Ran, r[0].Status);
        Assert.Equal("# Hi", r[0].Source);
        Assert.Equal(CellStatus.Skipped, r[1].Status);
        Assert.Equal("skipped: this runner has no 'fsharp' kernel", r[1].Note);
        Assert.Equal(CellStatus.Ran, r[2].Status);
        Assert.Equal(3, session.Cells.Count);
    }

    [Fact]
    public async Task A_cell_can_be_run_again_and_sees_the_state_it_left()
    {
        using var folder = new TempFolder();
        var session = NotebookSession.Open(folder.Write("again.dib", Repo.Notebook(("csharp", "var n = 0;"), ("csharp", "n += 1;\nn"))));
        await session.RunCellAsync(1);
        Assert.Equal(new[] { "1" }, Texts(await session.RunCellAsync(2)));
        Assert.Equal(new[] { "2" }, Texts(await session.RunCellAsync(2)));
    }

    [Fact]
    public void The_meta_cell_is_not_a_cell_a_reader_counts()
    {
        var doc = DibFormat.Parse("#!meta\n\n{\"kernelInfo\":{}}\n\n#!csharp\n\n1\n", "m.dib");
        Assert.Single(new NotebookSession(doc).Cells);
    }
}
