using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Dib;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;
using Micrograd.Notebooks.Runner;

namespace Micrograd.Notebooks;

/// <summary>The command line: run notebooks headless, each in a process of its own, and export them.</summary>
internal static class Cli
{
    public const int Ok = 0, CellsFailed = 1, BadUsage = 2, InternalError = 3, Interrupted = 130;
    public const double MinTimeout = 0.1, MaxTimeout = 86_400;

    private static readonly string[] Options = ["--out", "--format", "--timeout", "--title", "--images", "--untrusted", "--live", "--help", "--version"];

    public const string Help = """
        Micrograd.Notebooks: runs .dib notebooks headless, like the .NET Interactive C# kernel,
        and exports them as a static HTML site and/or executed Jupyter notebooks.

        usage:
          run <notebook.dib | folder> [options]   run one notebook, or every .dib in a folder in name order
          convert <path> --to ipynb|dib           a .dib's executed Jupyter twin next to it, or a .ipynb back to .dib (convert --help)
          serve <site folder> [--port N]          serve an exported site on this machine, for its live cells (serve --help)
          kernel install|list|uninstall           the Jupyter kernel "C# (micrograd)" (kernel --help)
          --help                                  show this text
          --version                               show the runner's version

        options:
          --out <dir>              where to write the export (default: out); only the runner's own files
                                   in it are replaced (it lists them in .micrograd-site.json)
          --format <list>          html, ipynb, or html,ipynb (default: html)
          --timeout <seconds>      stop a cell that runs longer than this, from 0.1 to 86400 (default: 300)
          --title <text>           the site's title (default: the first heading of the folder's README.md,
                                   whose text also introduces the site; else the folder's name)
          --images <dir>           also write each picture marked "// image: name" (a cell's first line) to <dir>/name.svg
          --untrusted              the notebooks came from someone else: the site shows no raw HTML, scripts
                                   or javascript: links from them (HTML outputs as text, pictures as images)
          --live                   pages whose cells the reader can edit and run in the browser (.NET in
                                   WebAssembly, loaded at the first Run); serve the site with `serve`

        Each notebook runs in a process of its own: a crash, Environment.Exit, a stack overflow, an endless
        loop (stopped by --timeout) or running out of memory (4 GB) ends that notebook only.
        Running one notebook into an existing site updates its page and keeps the others.

        exit codes:
          0    every cell ran
          1    a notebook could not be read or exported, a cell failed or timed out, or a notebook's process ended
          2    bad usage (a wrong option or path), or another run is writing to the same --out folder
          3    the runner itself failed (a bug; the message says what)
          130  interrupted (Ctrl+C); the site in --out is left as it was

        example:
          dotnet run --project src/Micrograd.Notebooks -- run notebooks --out out/course
        """;

    public static string Version =>
        typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken interrupt = default)
    {
        if (args.Length > 0 && args[0] == "convert") return await ConvertCommand.RunAsync(args[1..], stdout, stderr);
        if (args.Length > 0 && args[0] == "kernel") return Jupyter.KernelCommand.Run(args[1..], stdout, stderr);
        if (args.Length > 0 && args[0] == "serve") return await ServeCommand.RunAsync(args[1..], stdout, stderr, interrupt);
        if (args.Length == 0)
        {
            stderr.WriteLine(Help);
            return BadUsage;
        }
        if (args.Contains("--help") || args.Contains("-h"))
        {
            stdout.WriteLine(Help);
            return Ok;
        }
        if (args.Contains("--version"))
        {
            stdout.WriteLine($"Micrograd.Notebooks {Version}");
            return Ok;
        }
        if (args[0] != "run") return Usage(stderr, $"unknown command '{args[0]}'{Suggestions.DidYouMean(args[0], ["run", "convert", "kernel", "serve", "--help", "--version"])}");
        if (Parse(args, out string? problem) is not { } options) return Usage(stderr, problem!);
        if (options.Live && LiveSite.RuntimeProblem(LiveSite.RuntimeFolder()) is { } missing) return Usage(stderr, missing);
        if (Notebooks(options.Target, out problem) is not { } notebooks) return Usage(stderr, problem!);
        if (SiteFolder.Open(options.Out, out problem) is not { } site) return Usage(stderr, problem!);
        using (site)
            return await new SiteRun(options, notebooks, site, stdout, stderr).RunAsync(interrupt);
    }

    /// <summary>What a run was asked for.</summary>
    internal sealed record RunOptions(string Target, string Out, IReadOnlySet<string> Formats, double Timeout, string? Title, string? Images, bool Untrusted, bool Live = false);

    /// <summary>A notebook of the run: its path, and how messages name it (as the user wrote the path).</summary>
    internal sealed record Notebook(string Path, string Display);

    private static RunOptions? Parse(string[] args, out string? problem)
    {
        problem = null;
        string? target = null, outDir = "out", title = null, images = null;
        var formats = new HashSet<string> { "html" };
        double timeout = 300;
        bool untrusted = false, live = false;
        var list = new List<string>();
        foreach (var a in args.Skip(1)) // --timeout=5 is --timeout 5
        {
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 2) { list.Add(a[..eq]); list.Add(a[(eq + 1)..]); }
            else list.Add(a);
        }
        for (int i = 0; i < list.Count; i++)
        {
            string a = list[i];
            string? Next() => i + 1 < list.Count ? list[++i] : null;
            switch (a)
            {
                case "--out":
                    outDir = Next() ?? "";
                    if (outDir.Trim().Length == 0) { problem = "--out needs a folder"; return null; }
                    break;
                case "--format":
                    var names = (Next() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (names.Length == 0 || names.Any(f => f is not ("html" or "ipynb"))) { problem = "--format takes html, ipynb or html,ipynb"; return null; }
                    formats = names.ToHashSet();
                    break;
                case "--timeout":
                    string? value = Next();
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out timeout) || !double.IsFinite(timeout)
                        || timeout < MinTimeout || timeout > MaxTimeout)
                    {
                        problem = $"--timeout takes a number of seconds from {MinTimeout.ToString(CultureInfo.InvariantCulture)} to {MaxTimeout.ToString(CultureInfo.InvariantCulture)} (a day)"
                            + (value is null ? "" : $", not '{value}'");
                        return null;
                    }
                    break;
                case "--images":
                    images = Next();
                    if (string.IsNullOrWhiteSpace(images)) { problem = "--images needs a folder"; return null; }
                    break;
                case "--title":
                    title = Next();
                    if (string.IsNullOrWhiteSpace(title)) { problem = "--title needs a text"; return null; }
                    break;
                case "--untrusted":
                    untrusted = true;
                    break;
                case "--live":
                    live = true;
                    break;
                default:
                    if (a.StartsWith('-') && a.Length > 1)
                    {
                        problem = $"unknown option '{a}'{Suggestions.DidYouMean(a, Options)}";
                        return null;
                    }
                    if (target is not null) { problem = $"one notebook or folder at a time (got '{target}' and '{a}')"; return null; }
                    target = a;
                    break;
            }
        }
        if (target is null) { problem = "run needs a notebook or a folder"; return null; }
        if (live && !formats.Contains("html")) { problem = "--live makes HTML pages: add html to --format"; return null; }
        if (live && untrusted) { problem = "--live runs the notebooks' code and shows its HTML in the pages; it cannot be combined with --untrusted"; return null; }
        return new RunOptions(target, outDir, formats, timeout, title, images, untrusted, live);
    }

    /// <summary>The notebooks a path names, or why it names none: missing (with a near miss), unreadable, a broken link, not a .dib.</summary>
    private static IReadOnlyList<Notebook>? Notebooks(string target, out string? problem)
    {
        problem = null;
        try
        {
            if (Directory.Exists(target))
            {
                var found = Directory.GetFiles(target, "*.dib").Where(f => f.EndsWith(".dib", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal).Select(f => new Notebook(f, Path.Combine(target, Path.GetFileName(f)))).ToArray();
                if (found.Length == 0) problem = $"no .dib notebooks in '{target}'";
                return found.Length == 0 ? null : found;
            }
            if (BrokenLink(target) is { } broken) { problem = broken; return null; }
            if (File.Exists(target))
            {
                if (!target.EndsWith(".dib", StringComparison.OrdinalIgnoreCase))
                {
                    problem = $"'{target}' is not a .dib notebook{Suggestions.DidYouMean(Path.GetFileName(target), Siblings(target, dibOnly: true))}";
                    return null;
                }
                using (File.OpenRead(target)) { }
                return [new Notebook(target, target)];
            }
            string? parent = Path.GetDirectoryName(Path.GetFullPath(target));
            problem = parent is not null && !Directory.Exists(parent)
                ? $"'{target}' does not exist (there is no folder '{Path.GetDirectoryName(target)}')"
                : $"'{target}' does not exist{Suggestions.DidYouMean(Path.GetFileName(target.TrimEnd('/', '\\')), Siblings(target, dibOnly: false))}";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = $"'{target}' cannot be read: {e.Message}";
            return null;
        }
    }

    /// <summary>"'x' is a symbolic link to 'y', which does not exist", or null.</summary>
    internal static string? BrokenLink(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not { } link) return null;
            return info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true } ? null : $"'{path}' is a symbolic link to '{link}', which does not exist";
        }
        catch (IOException e)
        {
            return $"'{path}' cannot be read: {e.Message}"; // a loop of links, say
        }
    }

    /// <summary>Names next to a path that it may have meant: .dib files, and folders too unless only notebooks will do.</summary>
    private static IEnumerable<string> Siblings(string target, bool dibOnly)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(target.TrimEnd('/', '\\'))) ?? ".";
        try
        {
            var dibs = Directory.GetFiles(folder, "*.dib").Select(Path.GetFileName);
            return (dibOnly ? dibs : dibs.Concat(Directory.GetDirectories(folder).Select(Path.GetFileName))).OfType<string>().ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static int Usage(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"error: {problem}");
        stderr.WriteLine("run with --help for usage");
        return BadUsage;
    }

    /// <summary>The notebooks folder's README: its first heading titles the site, the rest introduces it.</summary>
    internal static (string? Title, string Intro) Readme(string path)
    {
        try
        {
            if (!File.Exists(path)) return (null, "");
            var lines = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n').ToList();
            int heading = lines.FindIndex(l => l.StartsWith("# ", StringComparison.Ordinal));
            if (heading < 0) return (null, string.Join("\n", lines));
            string title = lines[heading][2..].Trim();
            lines.RemoveAt(heading);
            return (title, string.Join("\n", lines).Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, "");
        }
    }
}
