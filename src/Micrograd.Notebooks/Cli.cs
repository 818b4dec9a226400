using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Micrograd.Notebooks.Dib;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;

namespace Micrograd.Notebooks;

/// <summary>The command line: run notebooks headless and export them.</summary>
internal static class Cli
{
    public const int Ok = 0, CellsFailed = 1, BadUsage = 2;

    public const string Help = """
        Micrograd.Notebooks: runs .dib notebooks headless, like the .NET Interactive C# kernel,
        and exports them as a static HTML site and/or executed Jupyter notebooks.

        usage:
          run <notebook.dib | folder> [options]   run one notebook, or every .dib in a folder in name order
          --help                                  show this text

        options:
          --out <dir>              where to write the export (default: out)
          --format <list>          html, ipynb, or html,ipynb (default: html)
          --timeout <seconds>      stop a cell that runs longer than this (default: 300)
          --title <text>           the site's title (default: the first heading of the folder's README.md,
                                   whose text also introduces the site; else the folder's name)
          --images <dir>           also write each picture marked "// image: name" (a cell's first line) to <dir>/name.svg

        exit codes:
          0  every cell ran
          1  a notebook could not be read, or a cell failed or timed out
          2  bad usage

        example:
          dotnet run --project src/Micrograd.Notebooks -- run notebooks --out out/course
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 0 && args[0] == "kernel") return Jupyter.KernelCommand.Run(args[1..], stdout, stderr);
        if (args.Length == 0 || args.Contains("--help") || args.Contains("-h"))
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Help);
            return args.Length == 0 ? BadUsage : Ok;
        }
        if (args[0] != "run") return Usage(stderr, $"unknown command '{args[0]}'");

        string? target = null, outDir = "out", title = null, images = null;
        var formats = new HashSet<string> { "html" };
        double timeout = 300;
        for (int i = 1; i < args.Length; i++)
        {
            string a = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (a)
            {
                case "--out":
                    outDir = Next() ?? "";
                    if (outDir.Length == 0) return Usage(stderr, "--out needs a folder");
                    break;
                case "--format":
                    var list = (Next() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (list.Length == 0 || list.Any(f => f is not ("html" or "ipynb")))
                        return Usage(stderr, "--format takes html, ipynb or html,ipynb");
                    formats = list.ToHashSet();
                    break;
                case "--timeout":
                    if (!double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out timeout) || timeout <= 0)
                        return Usage(stderr, "--timeout takes a number of seconds greater than 0");
                    break;
                case "--images":
                    images = Next();
                    if (string.IsNullOrEmpty(images)) return Usage(stderr, "--images needs a folder");
                    break;
                case "--title":
                    title = Next();
                    if (string.IsNullOrEmpty(title)) return Usage(stderr, "--title needs a text");
                    break;
                default:
                    if (a.StartsWith('-')) return Usage(stderr, $"unknown option '{a}'");
                    if (target is not null) return Usage(stderr, $"one notebook or folder at a time (got '{target}' and '{a}')");
                    target = a;
                    break;
            }
        }
        if (target is null) return Usage(stderr, "run needs a notebook or a folder");

        string[] notebooks;
        if (Directory.Exists(target)) notebooks = Directory.GetFiles(target, "*.dib").Order(StringComparer.Ordinal).ToArray();
        else if (File.Exists(target) && target.EndsWith(".dib", StringComparison.OrdinalIgnoreCase)) notebooks = [target];
        else return Usage(stderr, $"'{target}' is neither a .dib file nor a folder");
        if (notebooks.Length == 0) return Usage(stderr, $"no .dib notebooks in '{target}'");
        string folder = Directory.Exists(target) ? Path.GetFullPath(target) : Path.GetDirectoryName(Path.GetFullPath(target))!;
        var (readmeTitle, intro) = Readme(Path.Combine(folder, "README.md"));
        title ??= readmeTitle ?? Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));

        var clock = Stopwatch.StartNew();
        var runs = new List<NotebookRun>();
        int problems = 0;
        foreach (var path in notebooks)
        {
            NotebookSession session;
            try
            {
                session = NotebookSession.Open(path, new SessionOptions { CellTimeout = TimeSpan.FromSeconds(timeout) });
            }
            catch (DibFormatException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                problems++;
                continue;
            }
            var started = clock.Elapsed;
            var results = await session.RunAllAsync(r =>
            {
                string status = r.Status switch { CellStatus.Ran => "ok", CellStatus.Failed => "FAILED", CellStatus.Skipped => "skipped", _ => "not run" };
                if (r.Kernel != "markdown")
                    stdout.WriteLine($"  {session.Name}  cell {r.Number,2}/{session.Cells.Count}  {status,-7} {r.Elapsed.TotalSeconds,6:0.00} s");
                foreach (var e in r.Outputs.OfType<ErrorOutput>()) stderr.WriteLine($"error: {e.Message}");
                if (r.Note is { } note) stdout.WriteLine($"    {note}");
            });
            var run = new NotebookRun(path, results);
            runs.Add(run);
            stdout.WriteLine($"{session.Name}: {results.Count} cells, {run.Failed} failed, {(clock.Elapsed - started).TotalSeconds:0.0} s");
        }

        Directory.CreateDirectory(outDir);
        if (formats.Contains("html")) HtmlSite.Write(outDir, title, runs, intro);
        if (formats.Contains("ipynb"))
            foreach (var run in runs) Ipynb.Write(Path.Combine(outDir, run.Slug + ".ipynb"), run);

        if (images is not null)
        {
            try
            {
                foreach (var file in Images.Write(images, runs)) stdout.WriteLine($"picture: {file}");
            }
            catch (InvalidOperationException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                problems++;
            }
        }

        int cells = runs.Sum(r => r.Cells.Count), code = runs.Sum(r => r.Cells.Count(c => c.Kernel != "markdown"));
        int failed = runs.Sum(r => r.Failed), skipped = runs.Sum(r => r.Cells.Count(c => c.Status is CellStatus.Skipped or CellStatus.NotRun));
        stdout.WriteLine($"summary: {runs.Count} notebooks, {cells} cells ({code} code), {failed} failed, {skipped} skipped or not run, {problems} read or export errors, {clock.Elapsed.TotalSeconds:0.0} s");
        stdout.WriteLine($"wrote {string.Join(" and ", formats.Order(StringComparer.Ordinal))} to {Path.GetFullPath(outDir)}{(formats.Contains("html") ? Path.DirectorySeparatorChar + "index.html" : "")}");
        return failed + problems == 0 ? Ok : CellsFailed;
    }

    /// <summary>The notebooks folder's README: its first heading titles the site, the rest introduces it.</summary>
    private static (string? Title, string Intro) Readme(string path)
    {
        if (!File.Exists(path)) return (null, "");
        var lines = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n').ToList();
        int heading = lines.FindIndex(l => l.StartsWith("# ", StringComparison.Ordinal));
        if (heading < 0) return (null, string.Join("\n", lines));
        string title = lines[heading][2..].Trim();
        lines.RemoveAt(heading);
        return (title, string.Join("\n", lines).Trim());
    }

    private static int Usage(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"error: {problem}");
        stderr.WriteLine("run with --help for usage");
        return BadUsage;
    }
}
