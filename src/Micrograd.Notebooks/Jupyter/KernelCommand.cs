using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Micrograd.Notebooks.Jupyter;

/// <summary>
/// <c>kernel …</c>: run the Jupyter kernel for a connection file, or install, list and uninstall
/// its kernelspec in Jupyter's own data folders (as <c>jupyter kernelspec install</c> does).
/// </summary>
internal static class KernelCommand
{
    public const string Name = "micrograd-csharp", DisplayName = "C# (micrograd)";
    public const int Ok = 0, Failed = 1, BadUsage = 2;

    public const string Help = """
        Micrograd.Notebooks kernel: the course's C# kernel for Jupyter (JupyterLab, Jupyter Notebook, VS Code, nbclient).

        usage:
          kernel install [--user | --prefix <dir>]     write the kernelspec micrograd-csharp ("C# (micrograd)")
                                                       --user (default): Jupyter's data folder for this user
                                                       (JUPYTER_DATA_DIR if set); --prefix: <dir>/share/jupyter/kernels
          kernel list                                  show where the kernelspec is installed, and whether it still works
          kernel uninstall [--user | --prefix <dir>]   remove the kernelspec
          kernel --connection-file <file>              run the kernel (Jupyter does this, from the kernelspec)

        exit codes:
          0  done (the kernel: it was shut down)
          1  the kernel could not start (a missing or bad connection file, ports in use), or nothing to uninstall
          2  bad usage
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Help);
            return args.Length == 0 ? BadUsage : Ok;
        }
        switch (args[0])
        {
            case "install":
            case "uninstall":
                {
                    if (Target(args, stderr) is not { } folder) return BadUsage;
                    return args[0] == "install" ? Install(folder, stdout, stderr) : Uninstall(folder, stdout, stderr);
                }
            case "list":
                if (args.Length > 1) return Usage(stderr, $"kernel list takes no options, got '{args[1]}'");
                return List(stdout);
            case "--connection-file" or "-f":
                {
                    if (args.Length != 2) return Usage(stderr, "--connection-file needs a file (and nothing else)");
                    return Serve(args[1], stderr);
                }
            default:
                return Usage(stderr, $"unknown kernel command '{args[0]}'");
        }
    }

    private static int Serve(string connectionFile, TextWriter stderr)
    {
        try
        {
            var connection = ConnectionFile.Read(connectionFile);
            using var server = new KernelServer(connection, stderr);
            return server.Run();
        }
        catch (KernelStartException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return Failed;
        }
        finally
        {
            NetMQ.NetMQConfig.Cleanup(block: false);
        }
    }

    /// <summary>The kernels folder that --user (default) or --prefix names; null after reporting bad usage.</summary>
    private static string? Target(string[] args, TextWriter stderr)
    {
        string? prefix = null;
        bool user = false;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--user":
                    user = true;
                    break;
                case "--prefix":
                    prefix = i + 1 < args.Length ? args[++i] : null;
                    if (string.IsNullOrEmpty(prefix)) { Usage(stderr, "--prefix needs a folder"); return null; }
                    break;
                default:
                    Usage(stderr, $"unknown option '{args[i]}' (kernel {args[0]} takes --user or --prefix <dir>)");
                    return null;
            }
        }
        if (user && prefix is not null) { Usage(stderr, "give --user or --prefix, not both"); return null; }
        return prefix is not null ? Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels") : Path.Combine(UserDataFolder(), "kernels");
    }

    /// <summary>Jupyter's data folder for this user, as jupyter_core's jupyter_data_dir() finds it.</summary>
    public static string UserDataFolder()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } set) return Path.GetFullPath(set);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetEnvironmentVariable("APPDATA") is { Length: > 0 } appData ? appData : Path.Combine(home, "AppData", "Roaming"), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        string xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".local", "share");
        return Path.Combine(xdg, "jupyter");
    }

    /// <summary>Every folder Jupyter looks in for kernelspecs, the user's first (jupyter_core's jupyter_path()).</summary>
    private static IReadOnlyList<string> KernelFolders()
    {
        var folders = new List<string> { Path.Combine(UserDataFolder(), "kernels") };
        if (Environment.GetEnvironmentVariable("JUPYTER_PATH") is { Length: > 0 } extra)
            folders.AddRange(extra.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(p => Path.Combine(p, "kernels")));
        if (OperatingSystem.IsWindows())
        {
            if (Environment.GetEnvironmentVariable("PROGRAMDATA") is { Length: > 0 } programData) folders.Add(Path.Combine(programData, "jupyter", "kernels"));
        }
        else
        {
            folders.Add("/usr/local/share/jupyter/kernels");
            folders.Add("/usr/share/jupyter/kernels");
        }
        return folders.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The built tool that Jupyter starts: this assembly.</summary>
    public static string ToolPath => Path.GetFullPath(typeof(KernelCommand).Assembly.Location);

    public static JsonObject Spec(string dll) => new()
    {
        ["argv"] = new JsonArray("dotnet", dll, "kernel", "--connection-file", "{connection_file}"),
        ["display_name"] = DisplayName,
        ["language"] = "csharp",
        ["interrupt_mode"] = "message",
        ["metadata"] = new JsonObject { ["debugger"] = false },
    };

    private static int Install(string kernels, TextWriter stdout, TextWriter stderr)
    {
        string folder = Path.Combine(kernels, Name);
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "kernel.json"), Spec(ToolPath).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: cannot write the kernelspec to {folder}: {e.Message}");
            return Failed;
        }
        stdout.WriteLine($"installed the Jupyter kernel \"{DisplayName}\" ({Name}) in {folder}");
        stdout.WriteLine($"it runs: dotnet {ToolPath} kernel --connection-file {{connection_file}}");
        stdout.WriteLine("start Jupyter in the notebooks folder, open a notebook and pick \"C# (micrograd)\":");
        stdout.WriteLine("  cd notebooks && jupyter lab        (or: jupyter notebook; or open the .ipynb in VS Code and select the kernel)");
        return Ok;
    }

    private static int Uninstall(string kernels, TextWriter stdout, TextWriter stderr)
    {
        string folder = Path.Combine(kernels, Name);
        if (!Directory.Exists(folder))
        {
            stderr.WriteLine($"error: the kernel {Name} is not installed in {kernels}");
            return Failed;
        }
        Directory.Delete(folder, recursive: true);
        stdout.WriteLine($"removed the Jupyter kernel {Name} from {folder}");
        return Ok;
    }

    private static int List(TextWriter stdout)
    {
        int found = 0;
        foreach (string kernels in KernelFolders())
        {
            string spec = Path.Combine(kernels, Name, "kernel.json");
            if (!File.Exists(spec)) continue;
            found++;
            stdout.WriteLine($"{Name}  {Path.GetDirectoryName(spec)}  {State(spec)}");
        }
        if (found == 0) stdout.WriteLine($"the kernel {Name} is not installed; install it with: dotnet run --project src/Micrograd.Notebooks -- kernel install");
        return Ok;
    }

    /// <summary>Whether a kernelspec still starts something: its argv's dll must exist.</summary>
    private static string State(string spec)
    {
        try
        {
            var argv = JsonNode.Parse(File.ReadAllText(spec))?["argv"]?.AsArray().Select(a => a?.GetValue<string>() ?? "").ToArray() ?? [];
            string? dll = argv.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
            if (dll is null) return "(its argv names no .dll)";
            return File.Exists(dll) ? $"runs {dll}" : $"BROKEN: {dll} no longer exists; build the tool and run kernel install again";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IOException)
        {
            return $"BROKEN: kernel.json cannot be read ({e.Message})";
        }
    }

    private static int Usage(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"error: {problem}");
        stderr.WriteLine("run kernel --help for usage");
        return BadUsage;
    }
}
