using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace Micrograd.Kernel.Tests;

/// <summary>
/// Jupyter's own kernel conformance suite (jupyter_kernel_test, tests/jupyter/test_kernel.py) run
/// against a kernelspec of this build, installed in a data folder of the test's own (JUPYTER_DATA_DIR).
/// </summary>
public sealed class ConformanceTests
{
    private const string Install = "install: apt-get install -y python3-jupyter-kernel-test python3-jupyter-client python3-nbclient python3-nbformat python3-ipykernel";
    private const string Python = "/usr/bin/python3";

    [Fact]
    public void Jupyter_kernel_test_passes()
    {
        Assert.True(File.Exists(Python) && Run(Python, ["-c", "import jupyter_kernel_test, jupyter_client"], null).Code == 0, Install);
        string data = Path.Combine(Path.GetTempPath(), "mg-jupyter-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (installed, installOut) = Run("dotnet", [KernelClient.Tool, "kernel", "install", "--user"], data);
            Assert.True(installed == 0, installOut);
            var (code, output) = Run(Python, ["-m", "unittest", "-v", "test_kernel"], data, Path.Combine(KernelClient.Root, "tests", "jupyter"));
            Assert.True(code == 0, output);
            Assert.Contains("Ran 12 tests", output);
            Assert.Contains("\nOK\n", output.ReplaceLineEndings("\n"));        // not "OK (skipped=N)"
            Assert.DoesNotContain("skipped", output, StringComparison.OrdinalIgnoreCase); // the pager and clear_output run too
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    private static (int Code, string Output) Run(string file, string[] args, string? dataDir, string? folder = null)
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
