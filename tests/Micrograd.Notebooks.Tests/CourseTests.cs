using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Micrograd.Course;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;
using Micrograd.Notebooks.Runner;

namespace Micrograd.Notebooks.Tests;

/// <summary>
/// Runs every notebook of the course through the runner, as the README's first command does, and
/// re-runs its cells the two ways a learner does: each code cell twice in a row, and every earlier
/// cell again after the notebook has run to the end.
/// </summary>
public sealed class CourseRun : IAsyncLifetime
{
    public static readonly string Folder = Path.Combine(Repo.Root, "notebooks");

    /// <summary>The first line of a cell that is meant to change when it is run again.</summary>
    public const string RerunInvitation = "// Re-run this cell";

    internal List<NotebookRun> Runs { get; } = new();

    /// <summary>Each code cell run once and then straight away a second time, in a fresh session: (notebook, first run, second run).</summary>
    internal List<(string Slug, CellResult First, CellResult Second)> TwiceInARow { get; } = new();

    /// <summary>Each code cell re-run after the whole notebook ran, last cell first: (notebook, result of the full run, re-run).</summary>
    internal List<(string Slug, CellResult First, CellResult Again)> AfterTheEnd { get; } = new();

    internal static bool InvitesRerun(CellResult cell) => cell.Source.Split('\n')[0].Trim().StartsWith(RerunInvitation, StringComparison.Ordinal);

    public async Task InitializeAsync()
    {
        // Each notebook in a process of its own, as the CLI runs it (a crash fails a test, not the test host).
        NotebookProcess? spare = null;
        foreach (var path in Directory.GetFiles(Folder, "*.dib").Order(StringComparer.Ordinal))
        {
            await using var session = await NotebookProcess.OpenAsync(path, spare: spare);
            spare = NotebookProcess.Start(); // the next process warms up meanwhile
            var run = new NotebookRun(path, await session.RunAllAsync());
            Runs.Add(run);
            // Every earlier cell after the end: last first, so each re-run cell finds the state the
            // end of the notebook left (the cells after it have only been re-run, not changed).
            foreach (var cell in run.Cells.Where(c => c.Kernel == "csharp").Reverse())
                AfterTheEnd.Add((run.Slug, cell, await session.RunCellAsync(cell.Number)));

            await using var twice = await NotebookProcess.OpenAsync(path, spare: spare);
            spare = NotebookProcess.Start();
            for (int n = 1; n <= twice.Cells.Count; n++)
            {
                var first = await twice.RunCellAsync(n);
                if (first.Kernel != "csharp") continue;
                TwiceInARow.Add((run.Slug, first, await twice.RunCellAsync(n)));
            }
        }
        if (spare is not null) await spare.DisposeAsync();
    }

    /// <summary>What a cell showed, output by output, text and pictures alike, for comparing two runs.</summary>
    internal static string Shown(CellResult cell) => cell.Status + "\n" + string.Join("\n---\n", cell.Outputs.Select(o => o switch
    {
        DisplayOutput d => string.Join("\n", d.Data.Select(x => x.MimeType + ": " + x.Content)),
        StreamOutput s => "stream: " + s.Text,
        ErrorOutput e => "error: " + e.Message,
        _ => o.ToString(),
    }));

    public Task DisposeAsync() => Task.CompletedTask;

    internal NotebookRun Notebook(string slug) => Runs.Single(r => r.Slug == slug);

    /// <summary>Everything a notebook printed or displayed as text, one output a line.</summary>
    public string Text(string slug) => string.Join("\n", Notebook(slug).Cells.SelectMany(c => c.Outputs).Select(o => o switch
    {
        DisplayOutput d => d.Data.FirstOrDefault(x => x.MimeType == "text/plain").Content ?? d.Content,
        StreamOutput s => s.Text,
        ErrorOutput e => e.Message,
        _ => "",
    }));
}

public sealed partial class CourseTests(CourseRun course) : IClassFixture<CourseRun>
{
    private static double Number(string text, string pattern) =>
        double.Parse(Regex.Match(text, pattern).Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void The_course_has_its_numbered_notebooks_in_order()
    {
        Assert.Equal(
            new[] { "01-derivatives", "02-value", "03-manual-backprop", "04-automatic-backprop", "05-tanh-neuron", "06-mlp", "07-training-loop", "08-moons", "09-exercises", "09b-solutions" },
            course.Runs.Select(r => r.Slug));
    }

    [Fact]
    public void Every_cell_runs_without_error_and_every_code_cell_shows_something()
    {
        foreach (var run in course.Runs)
            foreach (var cell in run.Cells)
            {
                Assert.True(cell.Status == CellStatus.Ran, $"{run.Slug} cell {cell.Number}: {cell.Status} {string.Join("; ", cell.Outputs.OfType<ErrorOutput>().Select(e => e.Message))}");
                if (cell.Kernel == "csharp") Assert.True(cell.Outputs.Count > 0, $"{run.Slug} cell {cell.Number} shows nothing");
            }
    }

    [Fact]
    public void Every_code_cell_run_twice_in_a_row_shows_the_same_unless_it_invites_the_rerun()
    {
        var problems = new List<string>();
        foreach (var (slug, first, second) in course.TwiceInARow)
        {
            string where = $"{slug} cell {first.Number}";
            if (first.Status != CellStatus.Ran || second.Status != CellStatus.Ran)
                problems.Add($"{where}: {first.Status} then {second.Status}: {string.Join("; ", second.Outputs.OfType<ErrorOutput>().Select(e => e.Message))}");
            else if (CourseRun.InvitesRerun(first))
            {
                if (CourseRun.Shown(first) == CourseRun.Shown(second)) problems.Add($"{where} invites a re-run, but shows the same the second time");
            }
            else if (CourseRun.Shown(first) != CourseRun.Shown(second))
                problems.Add($"{where} shows something else the second time:\n{Diff(CourseRun.Shown(first), CourseRun.Shown(second))}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Cells_that_change_on_a_rerun_say_so_and_there_are_several()
    {
        var invited = course.TwiceInARow.Where(t => CourseRun.InvitesRerun(t.First)).Select(t => t.Slug).ToArray();
        Assert.Contains("03-manual-backprop", invited);
        Assert.Contains("07-training-loop", invited);
        Assert.True(invited.Length >= 3, $"only {invited.Length} cells invite a re-run");
    }

    [Fact]
    public void Any_earlier_cell_rerun_after_the_whole_notebook_ran_works_and_shows_what_it_showed()
    {
        var problems = new List<string>();
        foreach (var (slug, first, again) in course.AfterTheEnd)
        {
            string where = $"{slug} cell {first.Number}";
            if (again.Status != CellStatus.Ran)
                problems.Add($"{where} re-run after the end: {again.Status}: {string.Join("; ", again.Outputs.OfType<ErrorOutput>().Select(e => e.Message))}");
            else if (!CourseRun.InvitesRerun(first) && CourseRun.Shown(first) != CourseRun.Shown(again))
                problems.Add($"{where} re-run after the end shows something else:\n{Diff(CourseRun.Shown(first), CourseRun.Shown(again))}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Code_cells_compile_without_warnings_as_the_kernel_compiles_them()
    {
        // The C# kernel shows compiler warnings (CS0649 and the like) under a cell; our runner does
        // not, so compile each notebook's cells here, chained as the kernel chains them.
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = Directory.GetFiles(runtime, "*.dll")
            .Where(f => Path.GetFileName(f) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n is "netstandard.dll" or "mscorlib.dll"))
            .Where(f => { try { System.Reflection.AssemblyName.GetAssemblyName(f); return true; } catch (BadImageFormatException) { return false; } })
            .Select(f => (Microsoft.CodeAnalysis.MetadataReference)Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(f))
            .Append(Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(Microsoft.DotNet.Interactive.Kernel).Assembly.Location));
        var problems = new List<string>();
        foreach (var run in course.Runs)
        {
            var options = Microsoft.CodeAnalysis.Scripting.ScriptOptions.Default
                .WithReferences(references)
                .WithImports("System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
                             "Microsoft.DotNet.Interactive.Kernel") // the C# kernel's default usings
                .WithMetadataResolver(Microsoft.CodeAnalysis.Scripting.ScriptMetadataResolver.Default.WithBaseDirectory(CourseRun.Folder));
            Microsoft.CodeAnalysis.Scripting.Script? script = null;
            foreach (var cell in run.Cells.Where(c => c.Kernel == "csharp"))
            {
                script = script is null
                    ? Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript.Create(cell.Source, options)
                    : script.ContinueWith(cell.Source, options);
                foreach (var d in script.GetCompilation().GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning))
                    problems.Add($"{run.Slug} cell {cell.Number}: {d.Id} {d.GetMessage(CultureInfo.InvariantCulture)}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Markdown_keeps_carets_and_tildes_inside_math_or_code()
    {
        // Outside math and code, ^ and ~ could turn into superscript or subscript (Markdig's extension).
        var problems = new List<string>();
        foreach (var run in course.Runs)
            foreach (var cell in run.Cells.Where(c => c.Kernel == "markdown"))
            {
                string prose = Regex.Replace(cell.Source, @"```[\s\S]*?```", "");
                prose = Regex.Replace(prose, @"\$\$[\s\S]+?\$\$", "");
                prose = Regex.Replace(prose, @"\$[^$\n]+\$", "");
                prose = Regex.Replace(prose, @"`[^`\n]+`", "");
                foreach (Match m in Regex.Matches(prose, @".{0,30}[\^~].{0,30}"))
                    problems.Add($"{run.Slug} cell {cell.Number}: {m.Value}");
                if (Regex.Matches(prose, @"\$").Count > 0) problems.Add($"{run.Slug} cell {cell.Number}: an unmatched $");
            }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The first place two outputs differ, with a little context.</summary>
    private static string Diff(string a, string b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        string Around(string s) => s.Substring(Math.Max(0, i - 60), Math.Min(s.Length, i + 80) - Math.Max(0, i - 60));
        return $"  first:  …{Around(a)}…\n  second: …{Around(b)}…";
    }

    [Fact]
    public void Every_notebook_starts_with_a_title_what_you_learn_and_the_setup_cells()
    {
        foreach (var run in course.Runs)
        {
            Assert.StartsWith("# ", run.Cells[0].Source);
            Assert.True(run.Cells[0].Source.Contains("**What you will learn**") || run.Cells[0].Source.Contains("**The exercises**"), run.Slug);
            var code = run.Cells.Where(c => c.Kernel == "csharp").ToArray();
            Assert.Contains("Micrograd.csproj", code[0].Source);                                  // builds the engine if missing
            Assert.StartsWith("#r \"../artifacts/bin/Micrograd/debug/Micrograd.dll\"", code[1].Source); // loads it by a relative path
        }
    }

    [Fact]
    public void Notebooks_use_only_the_kernels_features_and_our_assembly()
    {
        foreach (var run in course.Runs)
            foreach (var cell in run.Cells.Where(c => c.Kernel == "csharp"))
            {
                Assert.DoesNotContain("#r \"nuget:", cell.Source);
                var references = Regex.Matches(cell.Source, "^#r \"([^\"]+)\"", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
                Assert.All(references, r => Assert.Equal("../artifacts/bin/Micrograd/debug/Micrograd.dll", r));
            }
    }

    /// <summary>The second run of a cell that invites re-running, in the twice-in-a-row session.</summary>
    private string SecondRun(string slug, string firstLine) =>
        CourseRun.Shown(course.TwiceInARow.Single(t => t.Slug == slug && t.First.Source.StartsWith(firstLine, StringComparison.Ordinal)).Second);

    /// <summary>All the markdown of a notebook: the prose whose numbers must be the outputs'.</summary>
    private string Prose(string slug) => string.Join("\n", course.Notebook(slug).Cells.Where(c => c.Kernel == "markdown").Select(c => c.Source));

    /// <summary>What a cell displayed as pictures (SVG), by the cell's first source line.</summary>
    private int Pictures(string slug, string firstLine) =>
        course.Notebook(slug).Cells.Single(c => c.Kernel == "csharp" && c.Source.StartsWith(firstLine, StringComparison.Ordinal))
            .Outputs.OfType<DisplayOutput>().Count(d => d.Content.Contains("<svg", StringComparison.Ordinal));

    public static TheoryData<string> Notebooks => new(CourseNumbers.Lines.Keys);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Each_notebook_shows_the_lectures_numbers(string slug)
    {
        string text = course.Text(slug);
        foreach (string line in CourseNumbers.Lines[slug]) Assert.Contains(line, text);
    }

    [Fact]
    public void Notebook_01_derivatives()
    {
        string text = course.Text("01-derivatives");
        Assert.Equal(7, Regex.Matches(text, @"difference 0\.00030").Count); // the prose: "up to 3h", h = 0.0001
    }

    [Fact]
    public void Notebook_03_manual_backprop()
    {
        string text = course.Text("03-manual-backprop");
        // Running the step again takes a second step from where the first ended: L rises again, by a little less (the prose says so).
        var second = Regex.Match(SecondRun("03-manual-backprop", CourseRun.RerunInvitation), @"step 2: L was (-?[\d.]+), now L = (-?[\d.]+) \(up ([\d.]+)\)");
        Assert.True(second.Success);
        Assert.Equal("-7.286496", second.Groups[1].Value);
        Assert.True(double.Parse(second.Groups[2].Value, CultureInfo.InvariantCulture) > -7.286496);
        Assert.InRange(double.Parse(second.Groups[3].Value, CultureInfo.InvariantCulture), 0.000001, 0.713503);
        Assert.Contains("shrinks a little at first", Prose("03-manual-backprop"));
        Assert.Equal(1, Pictures("03-manual-backprop", "new Chart(\"tanh"));
    }

    [Fact]
    public void Notebook_04_automatic_backprop()
    {
        string text = course.Text("04-automatic-backprop");
        Assert.Equal(4, Regex.Matches(text, "x1.grad = -1.5000, w1.grad = 1.0000, x2.grad = 0.5000, w2.grad = 0.0000").Count); // by hand, Backward(), step view, engine
        Assert.Matches(@"1,000,000 multiplications deep: chain = 2\.71828\d, d\(chain\)/d\(start\) = 2\.71828\d", text);
    }

    [Fact]
    public void Notebook_05_tanh_neuron()
    {
        string text = course.Text("05-tanh-neuron");
        Assert.Equal(5, Regex.Matches(text, "identical").Count);
        Assert.DoesNotContain("DIFFERENT", text);
        Assert.Matches(@"o\s+0\.7071067811865477\s+0\.7071067811865477", text);
        // tanh from exp: the same numbers, up to a double's last digit.
        var differences = Regex.Matches(text, @"^(?:o|x1\.grad|w1\.grad|x2\.grad|w2\.grad)\s+\S+\s+\S+\s+(\S+)$", RegexOptions.Multiline)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(5, differences.Length);
        Assert.All(differences, d => Assert.True(d < 1e-15, d.ToString(CultureInfo.InvariantCulture)));
        // PyTorch's digits come from the bias literal alone being a float32, and then every number matches bit for bit.
        Assert.Equal(5, Regex.Matches(text, "bit for bit").Count);
        // "15 significant digits agree": one step of a double from the double nearest 1/√2.
        Assert.Contains("15 significant digits", Prose("05-tanh-neuron"));
        // "With the float32 bias only 6 agree (0.707106…)": 1/√2 = 0.70710678…, PyTorch's o = 0.70710669…
        Assert.Contains("float32 bias           0.7071066904050358   difference 9.1e-8", text);
        Assert.Contains("only 6 agree (0.707106…", Prose("05-tanh-neuron"));
        Assert.DoesNotContain("16 digits", Prose("05-tanh-neuron"));
        Assert.Contains("```python", Prose("05-tanh-neuron"));
    }

    [Fact]
    public void Notebook_06_mlp()
    {
        string text = course.Text("06-mlp");
        Assert.Matches(@"ours (\S+), engine \1: identical; engine: 41 parameters", text);
        Assert.Contains("Too big to draw legibly", string.Join("", course.Notebook("06-mlp").Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().Select(d => d.Content)));
        // The neuron's graph names its weights and bias.
        string graph = course.Notebook("06-mlp").Cells.Single(c => c.Source.Contains("nout.Backward()")).Outputs.OfType<DisplayOutput>().Single().Content;
        foreach (var label in new[] { "w1", "w2", "w3", "b", "x1", "x2", "x3" }) Assert.Contains($"<title>{label}: data", graph);
        // A step by hand lowers the loss, and so does the next one.
        var first = Regex.Match(text, @"step 1: loss ([\d.]+) → ([\d.]+)");
        var second = Regex.Match(SecondRun("06-mlp", CourseRun.RerunInvitation), @"step 2: loss ([\d.]+) → ([\d.]+)");
        Assert.True(first.Success && second.Success);
        Assert.Equal(first.Groups[2].Value, second.Groups[1].Value);
        Assert.True(double.Parse(first.Groups[2].Value, CultureInfo.InvariantCulture) < double.Parse(first.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.True(double.Parse(second.Groups[2].Value, CultureInfo.InvariantCulture) < double.Parse(second.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Notebook_07_training_loop()
    {
        string text = course.Text("07-training-loop");
        string prose = Prose("07-training-loop");
        Assert.True(Number(text, @"untrained loss: ([\d.]+)") > 1);
        Assert.True(Number(text, @"loss after 60 steps: ([\d.]+)") < 0.01);
        var trained = Regex.Matches(text, @"example \d: network says\s+(-?[\d.]+), target\s+(-?\d)").Select(m =>
            (Prediction: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Target: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal(4, trained.Length);
        Assert.All(trained, t => Assert.True(Math.Abs(t.Prediction - t.Target) < 0.1, $"{t.Prediction} vs {t.Target}"));
        // The live chart shows one chart, titled from the variable.
        Assert.Equal(1, Pictures("07-training-loop", "// image: training-loss"));
        Assert.Contains("training loss, learning rate 0.05", string.Join("", course.Notebook("07-training-loop").Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().Select(d => d.Content)));
        // The forgotten ZeroGrad(): the push grows from 6.04 to 16.605 and then stays there, this step's own gradient is 0, 30 of 36 units saturate.
        var wrong = Regex.Match(text, @"without ZeroGrad\(\)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+) of (\d+)");
        Assert.True(wrong.Success);
        Assert.Equal(0, double.Parse(wrong.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal("6.040", wrong.Groups[2].Value);
        Assert.Equal("16.605", wrong.Groups[4].Value);
        Assert.Equal("16.605", wrong.Groups[5].Value);
        Assert.Equal("0.000", wrong.Groups[6].Value);
        Assert.Equal("30 of 36", $"{wrong.Groups[7].Value} of {wrong.Groups[8].Value}");
        var right = Regex.Match(text, @"with ZeroGrad\(\)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+) of 36");
        Assert.True(right.Success && double.Parse(right.Groups[5].Value, CultureInfo.InvariantCulture) < 0.1 && int.Parse(right.Groups[7].Value) < 30);
        // Learning rates: what the prose says is what the cells print.
        Assert.Contains("0.001 still takes it from 6.22 to 2.96", prose);
        Assert.Matches(@"learning rate\s+0\.2: loss 6\.22 → \S+\s*, gradient at the end\s+\S+, saturated 13 of 36", text);
        Assert.Matches(@"learning rate\s+1: loss 6\.22 → 8\s*, gradient at the end\s+0\.0\d+, saturated 12 of 36", text);
        Assert.Contains("(13 and 12 of 36)", prose);
        var pinned = Regex.Matches(text, @"learning rate 1, example \d: the network says\s+(-?[\d.]+), target\s+(-?\d)")
            .Count(m => Math.Sign(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) != Math.Sign(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
                        && Math.Abs(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) > 0.99);
        Assert.Equal(2, pinned);
        Assert.Contains("Two predictions are pinned near the wrong ±1", prose);
    }

    [Fact]
    public void Notebook_08_moons_reproduces_micrograd()
    {
        string text = course.Text("08-moons");
        Assert.True(Number(text, @"largest difference over all 100 steps: ([\d.e+-]+)") < 1e-9);
        Assert.True(Number(text, @"fresh run, step 99: accuracy (\d+) %") >= 95);
        Assert.Equal(1, Pictures("08-moons", "// image: moons-loss"));
    }

    [Fact]
    public void Notebook_09_exercises_start_unsolved_and_the_solutions_pass_every_check()
    {
        string exercises = course.Text("09-exercises");
        Assert.Equal(5, Regex.Matches(exercises, "not done yet").Count);
        Assert.DoesNotContain("✓", exercises);
        Assert.DoesNotContain("✗", exercises);

        string solutions = course.Text("09b-solutions");
        Assert.Equal(5, Regex.Matches(solutions, "✓ ").Count);
        Assert.DoesNotContain("not done yet", solutions);
        Assert.DoesNotContain("✗", solutions);
        // 1b and 1c are checked against the analytic gradient within the lecture's 1e-5, so the forward difference passes but is visibly off.
        Assert.True(Number(solutions, @"largest error against the analytic gradient: forward ([\d.e+-]+)") is > 1e-7 and < 1e-5);
        Assert.True(Number(solutions, @"symmetric ([\d.e+-]+)") < 1e-7);
    }

    [Fact]
    public void The_readme_pictures_are_the_ones_the_notebooks_draw_now()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mg-images-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var written = Images.Write(folder, course.Runs);
            Assert.Equal(7, written.Count);
            foreach (var file in written)
            {
                string committed = Path.Combine(Repo.Root, "images", Path.GetFileName(file));
                Assert.True(File.Exists(committed), $"images/{Path.GetFileName(file)} is missing: regenerate with the README's command");
                Assert.True(File.ReadAllText(committed) == File.ReadAllText(file), $"images/{Path.GetFileName(file)} is out of date: regenerate with the README's command");
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public async Task Exported_pages_are_byte_identical_across_runs()
    {
        foreach (var slug in new[] { "04-automatic-backprop", "08-moons" })
        {
            var path = Path.Combine(CourseRun.Folder, slug + ".dib");
            var again = new NotebookRun(path, await NotebookSession.Open(path).RunAllAsync());
            Assert.Equal(HtmlSite.Page("t", course.Notebook(slug), null, null), HtmlSite.Page("t", again, null, null));
            Assert.Equal(Ipynb.ToJson(course.Notebook(slug)), Ipynb.ToJson(again));
        }
    }
}
