using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Micrograd.Course;

namespace Micrograd.Kernel.Tests;

/// <summary>
/// Jupyter's own kernel conformance suite (jupyter_kernel_test, tests/jupyter/test_kernel.py) and the
/// course's notebook twins run with nbclient (tests/jupyter/run_course.py), against a kernelspec of this
/// build installed in a data folder of the test's own (JUPYTER_DATA_DIR).
/// </summary>
public sealed class ConformanceTests
{
    [Fact]
    public void Jupyter_kernel_test_passes_with_none_of_its_tests_skipped()
    {
        Jupyter.Require("jupyter_kernel_test, jupyter_client");
        Jupyter.WithKernelspec(data =>
        {
            var (code, output) = Jupyter.Run(Jupyter.Python, ["-m", "unittest", "-v", "test_kernel"], data, Jupyter.Scripts);
            Assert.True(code == 0, output);
            Assert.Contains("Ran 12 tests", output);
            Assert.Contains("\nOK\n", output.ReplaceLineEndings("\n"));                     // not "OK (skipped=N)"
            Assert.DoesNotContain("skipped", output, StringComparison.OrdinalIgnoreCase); // the pager and clear_output run too
        });
    }

    [Fact]
    public void Every_course_notebook_runs_under_nbclient_with_no_error_and_shows_the_lectures_numbers()
    {
        Jupyter.Require("nbclient, nbformat");
        string executed = Path.Combine(Path.GetTempPath(), "mg-course-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Jupyter.WithKernelspec(data =>
            {
                var (code, output) = Jupyter.Run(Jupyter.Python, [Path.Combine(Jupyter.Scripts, "run_course.py"), "--out", executed], data);
                Assert.True(code == 0, output);
            });
            var twins = Directory.GetFiles(Path.Combine(KernelClient.Root, "notebooks"), "*.ipynb").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(CourseNumbers.Lines.Keys.Order(StringComparer.Ordinal), twins);
            foreach (string slug in twins)
            {
                var outputs = JsonNode.Parse(File.ReadAllText(Path.Combine(executed, slug + ".ipynb")))!["cells"]!.AsArray()
                    .Where(c => (string?)c!["cell_type"] == "code").SelectMany(c => c!["outputs"]!.AsArray()).Select(o => o!).ToList();
                Assert.DoesNotContain(outputs, o => (string?)o["output_type"] == "error");
                string text = string.Join("\n", outputs.Select(o => Text(o["text"] ?? o["data"]?["text/plain"])));
                foreach (string line in CourseNumbers.Lines[slug]) Assert.True(text.Contains(line, StringComparison.Ordinal), $"{slug}: no '{line}' in its outputs");
            }
        }
        finally
        {
            if (Directory.Exists(executed)) Directory.Delete(executed, recursive: true);
        }
    }

    /// <summary>nbformat stores text as a string or as a list of lines.</summary>
    private static string Text(JsonNode? text) => text switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue value => (string?)value ?? "",
        _ => "",
    };
}

/// <summary>Debian's Jupyter from the tests: the Python modules, a kernelspec of this build, the scripts in tests/jupyter.</summary>
internal static class Jupyter
{
    public const string Python = "/usr/bin/python3";
    private const string Install = "install: apt-get install -y python3-jupyter-kernel-test python3-jupyter-client python3-nbclient python3-nbformat python3-ipykernel";

    public static string Scripts => Path.Combine(KernelClient.Root, "tests", "jupyter");

    /// <summary>Fails, saying what to install, unless Python can import <paramref name="modules"/>.</summary>
    public static void Require(string modules) =>
        Assert.True(File.Exists(Python) && Run(Python, ["-c", "import " + modules], null).Code == 0, Install);

    /// <summary>Installs the kernelspec of this build into a data folder of its own, for <paramref name="use"/>.</summary>
    public static void WithKernelspec(Action<string> use)
    {
        string data = Path.Combine(Path.GetTempPath(), "mg-jupyter-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (installed, installOut) = Run("dotnet", [KernelClient.Tool, "kernel", "install", "--user"], data);
            Assert.True(installed == 0, installOut);
            use(data);
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    public static (int Code, string Output) Run(string file, IEnumerable<string> args, string? dataDir, string? folder = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder ?? "" };
        foreach (var a in args) info.ArgumentList.Add(a);
        if (dataDir is not null) info.Environment["JUPYTER_DATA_DIR"] = dataDir;
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }
}
