using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Dib;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;

namespace Micrograd.Notebooks;

/// <summary>
/// <c>convert</c>: a .dib's Jupyter twin (executed, what Jupyter saves after Run All), written next
/// to it; and a .ipynb back to its .dib (cells and kernels; outputs dropped).
/// </summary>
internal static class ConvertCommand
{
    public const string Help = """
        usage:
          convert <notebook.dib | folder> --to ipynb    run each .dib and write its executed twin .ipynb next to it
          convert <notebook.ipynb | folder> --to dib    write each .ipynb back as the .dib next to it (outputs dropped)

        options:
          --timeout <seconds>      stop a cell that runs longer than this (default: 300)

        exit codes: 0 done, 1 a cell failed (the twin is written with its error), 2 bad usage or input

        example (regenerate the course's twins):
          dotnet run --project src/Micrograd.Notebooks -- convert notebooks --to ipynb
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            stdout.WriteLine(Help);
            return Cli.Ok;
        }
        string? target = null, to = null;
        double timeout = 300;
        for (int i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--to":
                    to = Next();
                    if (to is not ("ipynb" or "dib")) return Fail(stderr, $"--to takes ipynb or dib{(to is null ? "" : $", not '{to}'")}");
                    break;
                case "--timeout":
                    if (!double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out timeout) || timeout <= 0)
                        return Fail(stderr, "--timeout takes a number of seconds greater than 0");
                    break;
                default:
                    if (args[i].StartsWith('-')) return Fail(stderr, $"unknown option '{args[i]}' (convert --help for usage)");
                    if (target is not null) return Fail(stderr, $"one notebook or folder at a time (got '{target}' and '{args[i]}')");
                    target = args[i];
                    break;
            }
        }
        if (target is null) return Fail(stderr, "convert needs a notebook or a folder (convert --help for usage)");
        if (to is null) return Fail(stderr, "convert needs --to ipynb or --to dib");

        string from = to == "ipynb" ? ".dib" : ".ipynb";
        string[] files;
        if (Directory.Exists(target)) files = Directory.GetFiles(target, "*" + from).Order(StringComparer.Ordinal).ToArray();
        else if (!File.Exists(target)) return Fail(stderr, $"'{target}' does not exist");
        else if (!target.EndsWith(from, StringComparison.OrdinalIgnoreCase)) return Fail(stderr, $"--to {to} converts {from} notebooks, and '{target}' is not one");
        else files = [target];
        if (files.Length == 0) return Fail(stderr, $"no {from} notebooks in '{target}'");

        return to == "ipynb" ? await ToIpynb(files, timeout, stdout, stderr) : ToDib(files, stdout, stderr);
    }

    /// <summary>Runs each notebook through the runner and writes its twin; every file is read first, so bad input writes nothing.</summary>
    private static async Task<int> ToIpynb(string[] files, double timeout, TextWriter stdout, TextWriter stderr)
    {
        var documents = new List<DibDocument>();
        foreach (var file in files)
        {
            try
            {
                documents.Add(DibFormat.Read(file));
            }
            catch (DibFormatException e)
            {
                return Fail(stderr, e.Message);
            }
        }
        int failed = 0;
        foreach (var document in documents)
        {
            var session = new NotebookSession(document, new SessionOptions { CellTimeout = TimeSpan.FromSeconds(timeout) });
            var results = await session.RunAllAsync();
            var run = new NotebookRun(document.Path, results);
            foreach (var e in results.SelectMany(r => r.Outputs).OfType<ErrorOutput>()) stderr.WriteLine($"error: {e.Message}");
            string twin = Path.ChangeExtension(document.Path, ".ipynb");
            Ipynb.Write(twin, run);
            failed += run.Failed;
            stdout.WriteLine($"wrote {twin}: {results.Count} cells, {run.Failed} failed");
        }
        return failed == 0 ? Cli.Ok : Cli.CellsFailed;
    }

    private static int ToDib(string[] files, TextWriter stdout, TextWriter stderr)
    {
        var converted = new List<DibDocument>();
        var warnings = new List<string>();
        foreach (var file in files)
        {
            try
            {
                converted.Add(Ipynb.ToDib(File.ReadAllText(file), file, Path.ChangeExtension(file, ".dib"), warnings));
            }
            catch (IpynbFormatException e)
            {
                return Fail(stderr, e.Message);
            }
        }
        foreach (var warning in warnings) stderr.WriteLine($"warning: {warning}");
        foreach (var dib in converted)
        {
            File.WriteAllText(dib.Path, DibFormat.Write(dib));
            stdout.WriteLine($"wrote {dib.Path}: {dib.Cells.Count(c => c.Kernel != "meta")} cells");
        }
        return Cli.Ok;
    }

    private static int Fail(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"error: {problem}");
        return Cli.BadUsage;
    }
}
