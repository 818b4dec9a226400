using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;

namespace Micrograd.Kernel.Tests;

public sealed class CommandTests
{
    private static (int Code, string Out, string Err) Run(string folder, params string[] args)
    {
        using var p = KernelClient.Start(folder, args);
        p.StandardInput.Close();
        string output = p.StandardOutput.ReadToEnd(), error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, error);
    }

    [Fact]
    public void Install_list_and_uninstall_a_kernelspec_under_a_prefix()
    {
        string prefix = Path.Combine(Path.GetTempPath(), "mg-spec-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (code, output, _) = Run(Path.GetTempPath(), "kernel", "install", "--prefix", prefix);
            Assert.Equal(0, code);
            string spec = Path.Combine(prefix, "share", "jupyter", "kernels", "micrograd-csharp", "kernel.json");
            Assert.Contains(Path.GetDirectoryName(spec)!, output);
            Assert.Contains("jupyter", output);
            var json = JsonNode.Parse(File.ReadAllText(spec))!.AsObject();
            Assert.Equal("C# (micrograd)", (string?)json["display_name"]);
            Assert.Equal("csharp", (string?)json["language"]);
            Assert.Equal("message", (string?)json["interrupt_mode"]);
            var argv = json["argv"]!.AsArray().Select(a => (string)a!).ToArray();
            Assert.Equal("dotnet", argv[0]);
            Assert.True(Path.IsPathRooted(argv[1]) && File.Exists(argv[1]) && argv[1].EndsWith("Micrograd.Notebooks.dll", StringComparison.Ordinal));
            Assert.Equal(["kernel", "--connection-file", "{connection_file}"], argv[2..]);

            (code, output, _) = Run(Path.GetTempPath(), "kernel", "uninstall", "--prefix", prefix);
            Assert.Equal(0, code);
            Assert.False(File.Exists(spec));
            (code, _, string error) = Run(Path.GetTempPath(), "kernel", "uninstall", "--prefix", prefix);
            Assert.Equal(1, code);
            Assert.Contains("not installed", error);
        }
        finally
        {
            if (Directory.Exists(prefix)) Directory.Delete(prefix, recursive: true);
        }
    }

    [Fact]
    public void Install_honours_JUPYTER_DATA_DIR_and_list_flags_a_broken_spec()
    {
        string data = Path.Combine(Path.GetTempPath(), "mg-data-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { KernelClient.Tool, "kernel", "install", "--user" }) info.ArgumentList.Add(a);
            info.Environment["JUPYTER_DATA_DIR"] = data;
            using (var p = System.Diagnostics.Process.Start(info)!) { p.WaitForExit(); Assert.Equal(0, p.ExitCode); }
            string spec = Path.Combine(data, "kernels", "micrograd-csharp", "kernel.json");
            Assert.True(File.Exists(spec));

            File.WriteAllText(spec, File.ReadAllText(spec).Replace("Micrograd.Notebooks.dll", "Gone.dll", StringComparison.Ordinal));
            info.ArgumentList.Clear();
            foreach (var a in new[] { KernelClient.Tool, "kernel", "list" }) info.ArgumentList.Add(a);
            using var list = System.Diagnostics.Process.Start(info)!;
            string output = list.StandardOutput.ReadToEnd();
            list.WaitForExit();
            Assert.Contains("BROKEN", output);
            Assert.Contains("Gone.dll no longer exists", output);
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "kernel" }, 2, "usage")]
    [InlineData(new[] { "kernel", "fly" }, 2, "unknown kernel command 'fly'")]
    [InlineData(new[] { "kernel", "install", "--user", "--prefix", "x" }, 2, "not both")]
    [InlineData(new[] { "kernel", "--connection-file", "/nowhere/connection.json" }, 1, "error: the connection file '/nowhere/connection.json' does not exist")]
    public void Mistakes_give_one_clear_line_and_a_documented_exit_code(string[] args, int expected, string message)
    {
        var (code, _, error) = Run(Path.GetTempPath(), args);
        Assert.Equal(expected, code);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void A_connection_file_for_another_host_is_refused()
    {
        string file = Path.Combine(Path.GetTempPath(), "mg-conn-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(file, """{"ip": "0.0.0.0", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": "k"}""");
        try
        {
            var (code, _, error) = Run(Path.GetTempPath(), "kernel", "--connection-file", file);
            Assert.Equal(1, code);
            Assert.Contains("loopback addresses only", error);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
