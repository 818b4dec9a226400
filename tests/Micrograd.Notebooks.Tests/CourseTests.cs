using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;
using Micrograd.Notebooks.Runner;

namespace Micrograd.Notebooks.Tests;

/// <summary>Runs every notebook of the course once, through the runner, as the README's first command does.</summary>
public sealed class CourseRun : IAsyncLifetime
{
    public static readonly string Folder = Path.Combine(Repo.Root, "notebooks");

    internal List<NotebookRun> Runs { get; } = new();

    /// <summary>Failures met when every code cell was run a second time, after the whole notebook.</summary>
    public List<string> RerunFailures { get; } = new();

    public async Task InitializeAsync()
    {
        // Each notebook in a process of its own, as the CLI runs it (a crash fails a test, not the test host).
        NotebookProcess? spare = null;
        foreach (var path in Directory.GetFiles(Folder, "*.dib").Order(StringComparer.Ordinal))
        {
            await using var session = await NotebookProcess.OpenAsync(path, spare: spare);
            spare = NotebookProcess.Start(); // the next notebook's process warms up meanwhile
            Runs.Add(new NotebookRun(path, await session.RunAllAsync()));
            for (int n = 1; n <= session.Cells.Count; n++)
            {
                var again = await session.RunCellAsync(n);
                if (again.Status is CellStatus.Failed or CellStatus.NotRun)
                    RerunFailures.Add($"{session.Name} cell {n}: " + string.Join("; ", again.Outputs.OfType<ErrorOutput>().Select(e => e.Message)));
            }
        }
        if (spare is not null) await spare.DisposeAsync();
    }

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

public sealed class CourseTests(CourseRun course) : IClassFixture<CourseRun>
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
    public void Every_cell_can_be_run_again() =>
        Assert.True(course.RerunFailures.Count == 0, string.Join("\n", course.RerunFailures));

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

    [Fact]
    public void Notebook_01_derivatives()
    {
        string text = course.Text("01-derivatives");
        Assert.Contains("f(3) = 20", text);
        Assert.Contains("slope at x = 3: 14.0003   (from calculus, f′(x) = 6x − 4 = 14)", text);
        Assert.Contains("d = 4", text);
        Assert.Contains("dd/da ≈ -3.0000   (exact: b = -3)", text);
        Assert.Contains("dd/db ≈ 2.0000   (exact: a = 2)", text);
        Assert.Contains("dd/dc ≈ 1.0000   (exact: 1)", text);
    }

    [Fact]
    public void Notebook_02_value() => Assert.Contains("L = -8", course.Text("02-value"));

    [Fact]
    public void Notebook_03_manual_backprop()
    {
        string text = course.Text("03-manual-backprop");
        Assert.Contains("dL/dd = -2, dL/df = 4", text);
        Assert.Contains("a: nudge   6.0000   by hand   6", text);
        Assert.Contains("b: nudge  -4.0000   by hand  -4", text);
        Assert.Contains("new L = -7.286496 (was -8)", text);
        Assert.Contains("o = 0.7071", text);
        Assert.Contains("x1.grad = -1.5000, w1.grad = 1.0000, x2.grad = 0.5000, w2.grad = 0.0000", text);
    }

    [Fact]
    public void Notebook_04_automatic_backprop()
    {
        string text = course.Text("04-automatic-backprop");
        Assert.Contains("a.grad = 1, but db/da = 2", text);
        Assert.Contains("a.grad = 2", text);
        Assert.Equal(3, Regex.Matches(text, "x1.grad = -1.5000, w1.grad = 1.0000, x2.grad = 0.5000, w2.grad = 0.0000").Count); // by hand, Backward(), step view
        Assert.Contains("x1 → w1 → x1*w1 → x2 → w2 → x2*w2 → x1*w1 + x2*w2 → b → n → o", text);
    }

    [Fact]
    public void Notebook_05_tanh_neuron()
    {
        string text = course.Text("05-tanh-neuron");
        Assert.Equal(5, Regex.Matches(text, "identical").Count);
        Assert.DoesNotContain("DIFFERENT", text);
        Assert.Matches(@"o\s+0\.7071067811865477\s+0\.7071067811865477", text);
        Assert.Contains("PyTorch   0.7071066904050358", text);
        Assert.Contains("PyTorch  -1.5000003851533106", text);
        Assert.Contains("float32   0.7071067094802856", text);
    }

    [Fact]
    public void Notebook_06_mlp()
    {
        string text = course.Text("06-mlp");
        Assert.Contains("41 parameters", text);
        Assert.Contains("Too big to draw legibly", string.Join("", course.Notebook("06-mlp").Cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().Select(d => d.Content)));
    }

    [Fact]
    public void Notebook_07_training_loop()
    {
        string text = course.Text("07-training-loop");
        Assert.True(Number(text, @"untrained loss: ([\d.]+)") > 1);
        Assert.True(Number(text, @"loss after 60 steps: ([\d.]+)") < 0.01);
        var trained = Regex.Matches(text, @"example \d: network says\s+(-?[\d.]+), target\s+(-?\d)").Select(m =>
            (Prediction: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Target: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal(4, trained.Length);
        Assert.All(trained, t => Assert.True(Math.Abs(t.Prediction - t.Target) < 0.1, $"{t.Prediction} vs {t.Target}"));
        Assert.Matches(@"learning rate 0\.001: loss 6\.2231 → 2\.\d+", text);
    }

    [Fact]
    public void Notebook_08_moons_reproduces_micrograd()
    {
        string text = course.Text("08-moons");
        Assert.Contains("before training: loss 0.8958441028683222, accuracy 50 %", text);
        Assert.Contains("step 99: loss 0.010978, accuracy 100 %", text);
        Assert.Contains("accuracy identical at 100 of 100 steps", text);
        Assert.True(Number(text, @"largest difference over all 100 steps: ([\d.e+-]+)") < 1e-9);
        Assert.Contains("step 99   ours 0.010978370135492717   micrograd 0.010978370135492717   accuracy 100% / 100%", text);
        Assert.True(Number(text, @"fresh run, step 99: accuracy (\d+) %") >= 95);
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
        Assert.Contains("✓ 1a analytic gradient: correct [-12.353553, 10.256990, 0.062500]", solutions);
        Assert.Contains("✓ 2 loss: correct [2.175515]", solutions);
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
