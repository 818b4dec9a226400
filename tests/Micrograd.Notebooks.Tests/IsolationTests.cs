using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Runner;

namespace Micrograd.Notebooks.Tests;

/// <summary>Notebooks that misbehave, each run in a process of its own: they end themselves only.</summary>
public sealed class IsolationTests
{
    [Fact]
    public async Task A_good_notebook_after_a_crash_an_exit_a_throwing_thread_and_an_endless_loop_still_gets_its_page()
    {
        using var folder = new TempFolder();
        folder.Write("nb/01-overflow.dib", Repo.Notebook(("csharp", "1"), ("csharp", "int F(int n) => F(n + 1) + 1;\nF(0)"), ("csharp", "2")));
        folder.Write("nb/02-exit.dib", Repo.Notebook(("csharp", "Environment.Exit(0);")));
        folder.Write("nb/03-thread.dib", Repo.Notebook(("csharp", "new System.Threading.Thread(() => throw new InvalidOperationException(\"thread boom\")).Start();\nSystem.Threading.Thread.Sleep(20000);")));
        folder.Write("nb/04-loop.dib", Repo.Notebook(("csharp", "while (true) { }")));
        folder.Write("nb/05-good.dib", Repo.Notebook(("markdown", "# Good"), ("csharp", "Console.ReadLine() ?? \"stdin is empty\"")));
        string site = Path.Combine(folder.Path, "site");
        var (code, stdout, stderr) = await CliRun.Run("run", Path.Combine(folder.Path, "nb"), "--out", site, "--timeout", "3");

        Assert.Equal(1, code);
        string nb = Path.Combine(folder.Path, "nb");
        Assert.Contains($"error: {Path.Combine(nb, "01-overflow.dib")}: the notebook's process ended in cell 2 (stack overflow)", stderr);
        Assert.Contains($"error: {Path.Combine(nb, "02-exit.dib")}: the notebook's process ended in cell 1 (exited with code 0)", stderr);
        Assert.Contains($"error: {Path.Combine(nb, "03-thread.dib")}: the notebook's process ended in cell 1 (an exception escaped a thread the notebook started: InvalidOperationException: thread boom)", stderr);
        Assert.Contains($"error: {Path.Combine(nb, "04-loop.dib")}: the notebook's process ended in cell 1 (killed after the timeout of 3 s)", stderr);
        Assert.Contains("05-good.dib: 2 cells, 0 failed", stdout);
        Assert.DoesNotContain("   at ", stderr); // no stack trace

        string overflow = File.ReadAllText(Path.Combine(site, "01-overflow.html"));
        Assert.Contains("<pre class=\"output text\">1</pre>", overflow); // the cell before kept its output
        Assert.Contains("01-overflow.dib:cell 2: the notebook&#39;s process ended in cell 2 (stack overflow)", overflow);
        Assert.Contains("not run: the notebook&#39;s process ended in cell 2", overflow);
        Assert.Contains("<pre class=\"output text\">stdin is empty</pre>", File.ReadAllText(Path.Combine(site, "05-good.html")));
        string index = File.ReadAllText(Path.Combine(site, "index.html"));
        Assert.Contains("process ended", index);
        Assert.Equal(5, index.Split("<tr><td>").Length - 1);
    }

    [Fact]
    public async Task Late_writes_stay_under_their_cell_and_a_later_cell_can_update_an_earlier_display()
    {
        using var folder = new TempFolder();
        string path = folder.Write("late.dib", Repo.Notebook(
            ("csharp", "var shown = display(1);\nvar gate = new System.Threading.ManualResetEventSlim();\nnew System.Threading.Thread(() => { gate.Wait(); for (int i = 0; i < 50; i++) Console.WriteLine(\"late \" + i); }).Start();"),
            ("csharp", "gate.Set();\nSystem.Threading.Thread.Sleep(300);\nConsole.WriteLine(\"two\");"),
            ("csharp", "shown.Update(\"updated by cell 3\");\n\"three\"")));
        await using var notebook = await NotebookProcess.OpenAsync(path, new SessionOptions { CellTimeout = TimeSpan.FromSeconds(60) });
        CellResult? changed = null;
        notebook.Changed += r => changed = r;
        var r = await notebook.RunAllAsync();
        Assert.All(r, c => Assert.Equal(CellStatus.Ran, c.Status));
        Assert.Equal(new[] { "two\n" }, r[1].Outputs.OfType<StreamOutput>().Select(s => s.Text));
        Assert.Equal(new[] { "three" }, r[2].Outputs.Select(o => ((DisplayOutput)o).Content));
        var first = r[0].Outputs;
        Assert.Equal("updated by cell 3", ((DisplayOutput)first[0]).Content);
        Assert.Contains(first.OfType<StreamOutput>(), s => s.Text.StartsWith("warning: code of this cell kept running", StringComparison.Ordinal));
        Assert.DoesNotContain(r.SelectMany(c => c.Outputs).OfType<StreamOutput>(), s => s.Text.Contains("late 0", StringComparison.Ordinal));
        Assert.NotNull(changed);
        Assert.Equal(1, changed!.Number);
    }

    [Fact]
    public async Task A_notebook_that_exhausts_its_memory_fails_with_the_limit_named()
    {
        using var folder = new TempFolder();
        string path = folder.Write("memory.dib", Repo.Notebook(
            ("csharp", "var hoard = new List<byte[]>();\nwhile (true) { var b = new byte[32_000_000]; b[^1] = 1; hoard.Add(b); }"), ("csharp", "1")));
        var child = NotebookProcess.Start(memoryLimit: 512L << 20);
        await using var notebook = await NotebookProcess.OpenAsync(path, new SessionOptions { CellTimeout = TimeSpan.FromSeconds(120) }, child);
        var r = await notebook.RunAllAsync();
        Assert.Equal(CellStatus.Failed, r[0].Status);
        Assert.Equal("memory limit reached at cell 1 (512 MB for a notebook's process); its process was ended", notebook.Ended?.Describe());
        Assert.Equal(CellStatus.NotRun, r[1].Status);
    }
}

internal static class CliRun
{
    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = await Cli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
