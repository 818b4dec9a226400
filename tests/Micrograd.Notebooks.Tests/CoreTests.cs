using System;
using System.Linq;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Notebooks.Tests;

/// <summary>The execution core's own promises, through the runner's session.</summary>
public sealed class CoreTests
{
    private static async Task<CellResult[]> Run(ExecutionLimits? limits, params string[] cells)
    {
        using var folder = new TempFolder();
        var session = NotebookSession.Open(folder.Write("c.dib", Repo.Notebook(cells.Select(c => ("csharp", c)).ToArray())),
            new SessionOptions { CellTimeout = TimeSpan.FromSeconds(30), Limits = limits ?? new ExecutionLimits() });
        return (await session.RunAllAsync()).ToArray();
    }

    private static string Text(CellResult r) => string.Concat(r.Outputs.Select(o => o switch
    {
        StreamOutput s => s.Text,
        DisplayOutput d => d.Content + "\n",
        ErrorOutput e => e.Message + "\n",
        _ => "",
    }));

    [Fact]
    public async Task Writes_from_a_thread_after_its_cell_finished_are_dropped_with_one_warning_under_that_cell()
    {
        var r = await Run(null,
            "var go = new System.Threading.ManualResetEventSlim();\nvar done = new System.Threading.ManualResetEventSlim();\n" +
            "new System.Threading.Thread(() => { go.Wait(); Console.WriteLine(\"late 1\"); display(\"late display\"); Console.WriteLine(\"late 2\"); done.Set(); }).Start();\n" +
            "Console.WriteLine(\"first cell\");",
            "go.Set(); done.Wait();\nConsole.WriteLine(\"second cell\");");
        Assert.Equal("second cell\n", Text(r[1]));
        Assert.StartsWith("first cell\n", Text(r[0]));
        foreach (string late in new[] { "late 1", "late display", "late 2" })
        {
            Assert.DoesNotContain(late, Text(r[0]));
            Assert.DoesNotContain(late, Text(r[1]));
        }
        Assert.Single(r[0].Outputs.OfType<StreamOutput>(), s => s.Text.StartsWith("warning: code of this cell kept running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_later_cell_may_update_an_earlier_cells_display()
    {
        var r = await Run(null, "var shown = display(\"first\");", "shown.Update(\"changed by cell 2\");");
        Assert.Equal("changed by cell 2\n", Text(r[0]));
        Assert.Empty(r[1].Outputs);
    }

    [Fact]
    public async Task ClearOutput_drops_what_the_cell_showed_before_it_and_keeps_what_follows()
    {
        var r = await Run(null,
            "Console.WriteLine(\"gone\");\nvar old = display(\"old picture\");\nClearOutput();\nConsole.WriteLine(\"kept\");\nold.Update(\"no longer shown\");\n42",
            "Console.WriteLine(\"earlier cell's output stays\");",
            "ClearOutput();");
        Assert.Equal(CellStatus.Ran, r[0].Status);
        Assert.Equal("kept\n42\n", Text(r[0]));
        Assert.Equal("earlier cell's output stays\n", Text(r[1]));
        Assert.Empty(r[2].Outputs);
    }

    [Fact]
    public async Task ClearOutput_with_wait_clears_when_the_next_output_comes_and_not_before()
    {
        var r = await Run(null,
            "for (int frame = 1; frame <= 3; frame++) { ClearOutput(wait: true); Console.WriteLine($\"frame {frame}\"); }",
            "Console.WriteLine(\"shown\");\nClearOutput(wait: true);",
            "Console.WriteLine(\"old\");\nClearOutput(wait: true);\nthrow new InvalidOperationException(\"the error replaces it\");");
        Assert.Equal("frame 3\n", Text(r[0]));
        Assert.Equal("shown\n", Text(r[1])); // nothing came after: the outputs stay, as in Jupyter
        Assert.DoesNotContain("old", Text(r[2]));
        Assert.Contains("the error replaces it", Text(r[2]));
    }

    [Fact]
    public async Task A_cleared_cell_may_print_its_full_allowance_again()
    {
        var r = await Run(new ExecutionLimits { CellTextLines = 100, SessionOutputChars = 2000 },
            "for (int i = 0; i < 80; i++) Console.WriteLine(i);\nClearOutput();\nfor (int i = 0; i < 80; i++) Console.WriteLine(i);\nClearOutput();\nfor (int i = 0; i < 80; i++) Console.WriteLine(i);");
        Assert.DoesNotContain("output truncated", Text(r[0]));
        Assert.Equal(string.Concat(Enumerable.Range(0, 80).Select(i => i + "\n")), Text(r[0]));
    }

    [Fact]
    public async Task A_cells_text_output_is_capped_and_says_how_much_was_cut()
    {
        var r = await Run(new ExecutionLimits { CellTextLines = 100 }, "for (int i = 0; i < 250; i++) Console.WriteLine(i);", "Console.WriteLine(\"next\");");
        string text = Text(r[0]);
        Assert.Contains("\n99\n", text);
        Assert.DoesNotContain("\n100\n", text);
        Assert.Contains("output truncated: 150 more lines (", text);
        Assert.Equal("next\n", Text(r[1])); // the cap is per cell
    }

    [Fact]
    public async Task A_sessions_outputs_are_capped_too()
    {
        var r = await Run(new ExecutionLimits { SessionOutputChars = 1000 }, "Console.Write(new string('a', 900));", "Console.Write(new string('b', 900));");
        Assert.Equal(900, Text(r[0]).Length);
        Assert.Contains("output truncated", Text(r[1]));
        Assert.DoesNotContain("b", Text(r[1]).Replace("output truncated", ""));
    }

    [Fact]
    public async Task A_cell_may_use_any_framework_assembly_not_only_the_everyday_ones()
    {
        var r = await Run(null, "new System.Xml.Linq.XElement(\"a\", 1).ToString()", "var n = 2;\nn + 1");
        Assert.Equal(CellStatus.Ran, r[0].Status);
        Assert.Equal("<a>1</a>\n", Text(r[0]));
        Assert.Equal("3\n", Text(r[1]));
    }

    [Fact]
    public async Task Stdin_is_empty_for_cells_of_the_runner()
    {
        var r = await Run(null, "Console.ReadLine() is null");
        Assert.Equal("True\n", Text(r[0]));
    }
}
