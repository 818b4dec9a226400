using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Notebooks.Tests;

public sealed class ConvertTests
{
    private static async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = await Notebooks.Cli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Bad_input_exits_2_with_one_line_that_says_what_is_wrong()
    {
        using var folder = new TempFolder();
        string notJson = folder.Write("a.ipynb", "{ not json");
        string old = folder.Write("b.ipynb", """{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}""");
        string dib = folder.Write("c.dib", Repo.Notebook(("csharp", "1")));
        string empty = Path.Combine(folder.Path, "empty");
        Directory.CreateDirectory(empty);
        (string[] Args, string Message)[] cases =
        [
            ([notJson, "--to", "dib"], $"error: {notJson}: not JSON (line 1"),
            ([old, "--to", "dib"], $"error: {old}: nbformat 3, but only nbformat 4 notebooks can be converted"),
            ([Path.Combine(folder.Path, "nowhere.ipynb"), "--to", "dib"], "does not exist"),
            ([dib, "--to", "pdf"], "error: --to takes ipynb or dib, not 'pdf'"),
            ([dib, "--to"], "error: --to takes ipynb or dib"),
            ([dib], "error: convert needs --to ipynb or --to dib"),
            ([dib, "--to", "dib"], "--to dib converts .ipynb notebooks"),
            ([notJson, "--to", "ipynb"], "--to ipynb converts .dib notebooks"),
            ([empty, "--to", "ipynb"], "no .dib notebooks in"),
            (["--to", "ipynb"], "error: convert needs a notebook or a folder"),
        ];
        foreach (var (args, message) in cases)
        {
            var (code, _, err) = await Cli(["convert", .. args]);
            Assert.True(code == 2, $"{string.Join(" ", args)}: exit {code}");
            Assert.Contains(message, err);
            Assert.Single(err.TrimEnd('\n').Split('\n'));
        }
        Assert.False(File.Exists(Path.Combine(folder.Path, "d", "e.ipynb")));
    }

    [Fact]
    public async Task A_dib_gets_its_executed_twin_next_to_it_and_the_twin_converts_back_byte_for_byte()
    {
        using var folder = new TempFolder();
        string text = Repo.Notebook(("markdown", "# One\n\nA *note*."), ("csharp", "var x = 20;\nConsole.WriteLine(x);"), ("csharp", "x + 1"));
        string dib = folder.Write("nb/01-one.dib", text);
        var (code, stdout, _) = await Cli("convert", Path.Combine(folder.Path, "nb"), "--to", "ipynb");
        Assert.Equal(0, code);
        string twin = Path.Combine(folder.Path, "nb", "01-one.ipynb");
        Assert.Contains($"wrote {twin}: 3 cells, 0 failed", stdout);
        using (var doc = JsonDocument.Parse(File.ReadAllText(twin)))
        {
            var cells = doc.RootElement.GetProperty("cells");
            Assert.Equal("21", cells[2].GetProperty("outputs")[0].GetProperty("data").GetProperty("text/plain")[0].GetString());
            Assert.Equal("execute_result", cells[2].GetProperty("outputs")[0].GetProperty("output_type").GetString());
        }
        string first = File.ReadAllText(twin);
        Assert.Equal(0, (await Cli("convert", dib, "--to", "ipynb")).Code);
        Assert.Equal(first, File.ReadAllText(twin)); // re-export: the same bytes

        File.Delete(dib);
        var (back, said, _) = await Cli("convert", twin, "--to", "dib");
        Assert.Equal(0, back);
        Assert.Contains($"wrote {Path.ChangeExtension(twin, ".dib")}: 3 cells", said);
        Assert.Equal(text, File.ReadAllText(dib));
    }

    [Fact]
    public async Task A_failing_cell_exits_1_and_the_twin_holds_the_error()
    {
        using var folder = new TempFolder();
        string dib = folder.Write("bad.dib", Repo.Notebook(("csharp", "undefinedName")));
        var (code, _, err) = await Cli("convert", dib, "--to", "ipynb");
        Assert.Equal(1, code);
        Assert.Contains("error: bad.dib:cell 1:line 1: error CS0103", err);
        Assert.Contains("\"output_type\": \"error\"", File.ReadAllText(Path.ChangeExtension(dib, ".ipynb")));
    }

    [Fact]
    public async Task The_exported_ipynb_carries_the_engine_it_references_and_runs_where_it_is_written()
    {
        using var folder = new TempFolder();
        string engine = Path.Combine(Repo.Root, "artifacts", "bin", "Micrograd", "debug", "Micrograd.dll");
        Assert.True(File.Exists(engine), "the engine is built with the tests");
        Directory.CreateDirectory(Path.Combine(folder.Path, "engine"));
        File.Copy(engine, Path.Combine(folder.Path, "engine", "Micrograd.dll"));
        folder.Write("nb/01-a.dib", Repo.Notebook(
            ("markdown", "# A"),
            ("csharp", "var engine = System.IO.Path.GetFullPath(\"../engine/Micrograd.dll\");\nSystem.IO.File.Exists(engine)"),
            ("csharp", "#r \"../engine/Micrograd.dll\"\nnew Micrograd.Value(2.0).Data * 3")));
        string site = Path.Combine(folder.Path, "site");
        Assert.Equal(0, (await Cli("run", Path.Combine(folder.Path, "nb"), "--out", site, "--format", "ipynb")).Code);

        Assert.Equal(File.ReadAllBytes(engine), File.ReadAllBytes(Path.Combine(site, "lib", "Micrograd.dll")));
        string exported = File.ReadAllText(Path.Combine(site, "01-a.ipynb"));
        Assert.Contains("GetFullPath(\\\"lib/Micrograd.dll\\\")", exported);
        Assert.Contains("\"#r \\\"lib/Micrograd.dll\\\"\\n\"", exported);
        Assert.DoesNotContain("../engine", exported);
        Assert.Contains("\"kernelName\": \"csharp\"", exported);
        Assert.Contains("\"name\": \"micrograd-csharp\"", exported);
        Assert.Contains("../engine/Micrograd.dll", File.ReadAllText(Path.Combine(folder.Path, "nb", "01-a.dib"))); // the source stays

        // Where it was written, with the original engine gone: it runs.
        Directory.Delete(Path.Combine(folder.Path, "engine"), true);
        Assert.Equal(0, (await Cli("convert", Path.Combine(site, "01-a.ipynb"), "--to", "dib")).Code);
        var results = await NotebookSession.Open(Path.Combine(site, "01-a.dib")).RunAllAsync();
        Assert.All(results, r => Assert.Equal(CellStatus.Ran, r.Status));
        Assert.Equal(new[] { "True", "6" }, results.Skip(1).Select(r => ((Micrograd.Execution.DisplayOutput)r.Outputs.Single()).Data.Single(d => d.MimeType == "text/plain").Content));
    }
}
