using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Dib;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;

namespace Micrograd.Notebooks.Runner;

/// <summary>
/// One `run`: every notebook in a process of its own (the next one's process started early, so it
/// is warm when its turn comes), each page written as soon as its notebook ends, the site made
/// live at the end. Any failure of one notebook (unreadable, crashed, not exportable) is that
/// notebook's, and the run goes on.
/// </summary>
internal sealed class SiteRun(Cli.RunOptions options, IReadOnlyList<Cli.Notebook> notebooks, SiteFolder site, TextWriter stdout, TextWriter stderr)
{
    private int _problems, _failed, _cells, _code, _notRun, _ran;
    private string _title = "";

    public async Task<int> RunAsync(CancellationToken interrupt)
    {
        var clock = Stopwatch.StartNew();
        string folder = Directory.Exists(options.Target) ? Path.GetFullPath(options.Target) : Path.GetDirectoryName(Path.GetFullPath(options.Target))!;
        var (readmeTitle, intro) = Cli.Readme(Path.Combine(folder, "README.md"));
        bool oneNotebook = !Directory.Exists(options.Target);
        string title = _title = options.Title ?? (oneNotebook ? site.PreviousTitle : null) ?? readmeTitle ?? Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));

        site.Plan(notebooks.Select(Planned).ToArray(), replaceAll: !oneNotebook);
        var sessionOptions = new SessionOptions { CellTimeout = TimeSpan.FromSeconds(options.Timeout) };
        NotebookProcess? spare = null, child = null;
        try
        {
            foreach (var notebook in notebooks)
            {
                interrupt.ThrowIfCancellationRequested();
                spare ??= NotebookProcess.Start();
                try
                {
                    child = await NotebookProcess.OpenAsync(notebook.Path, sessionOptions, spare);
                }
                catch (Exception e) when (e is DibFormatException or IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
                {
                    if (e is not DibFormatException) spare = null; // it was used, and is gone
                    string message = e is DibFormatException ? e.Message
                        : Cli.BrokenLink(notebook.Path) is { } broken ? broken : $"{notebook.Display}: cannot be read: {e.Message}";
                    stderr.WriteLine($"error: {message}");
                    _problems++;
                    Export(notebook, Unreadable(notebook, message), "unreadable");
                    continue;
                }
                spare = null;
                if (notebook != notebooks[^1]) spare = NotebookProcess.Start(); // warms up while this notebook runs

                var started = clock.Elapsed;
                var results = await child.RunAllAsync(r => Progress(child, r), interrupt);
                var ended = child.Ended;
                await child.DisposeAsync();
                child = null;
                var run = new NotebookRun(notebook.Path, results);
                _ran++;
                _cells += run.Cells.Count;
                _code += run.Cells.Count(c => c.Kernel != "markdown");
                _failed += run.Failed;
                _notRun += run.Cells.Count(c => c.Status is CellStatus.Skipped or CellStatus.NotRun);
                if (ended is not null)
                {
                    stderr.WriteLine($"error: {notebook.Display}: {ended.Describe()}");
                    _problems++;
                }
                stdout.WriteLine($"{Path.GetFileName(notebook.Path)}: {results.Count} cells, {run.Failed} failed, {(clock.Elapsed - started).TotalSeconds:0.0} s");
                Export(notebook, run, ended is null ? null : ended.MemoryLimit ? "memory limit" : "process ended");
            }
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            if (child is not null) await child.DisposeAsync();
            if (spare is not null) await spare.DisposeAsync();
            stderr.WriteLine($"interrupted: {_ran} of {notebooks.Count} notebooks ran; '{options.Out}' was left as it was");
            return Cli.Interrupted;
        }

        bool html = options.Formats.Contains("html");
        if (html)
            foreach (var (path, bytes) in MathRendering.Assets()) site.WriteShared(path, bytes);
        site.Publish(title, html ? entries => HtmlSite.Index(title, entries, intro, !options.Untrusted) : null);
        stdout.WriteLine($"summary: {_ran} notebooks, {_cells} cells ({_code} code), {_failed} failed, {_notRun} skipped or not run, {_problems} read, process or export errors, {clock.Elapsed.TotalSeconds:0.0} s");
        stdout.WriteLine($"wrote {string.Join(" and ", options.Formats.Order(StringComparer.Ordinal))} to {Path.GetFullPath(options.Out)}{(html ? Path.DirectorySeparatorChar + "index.html" : "")}");
        return _failed + _problems == 0 ? Cli.Ok : Cli.CellsFailed;
    }

    private void Progress(NotebookProcess child, CellResult r)
    {
        string status = r.Status switch { CellStatus.Ran => "ok", CellStatus.Failed => "FAILED", CellStatus.Skipped => "skipped", _ => "not run" };
        if (r.Kernel != "markdown" && !(r.Status == CellStatus.NotRun && child.Ended is not null))
            stdout.WriteLine($"  {child.Name}  cell {r.Number,2}/{child.Cells.Count}  {status,-7} {r.Elapsed.TotalSeconds,6:0.00} s");
        foreach (var e in r.Outputs.OfType<ErrorOutput>().Where(e => e.Name is not ("ProcessEnded" or "MemoryLimit")))
            stderr.WriteLine($"error: {e.Message}");
        if (r.Note is { } note && child.Ended is null) stdout.WriteLine($"    {note}");
    }

    /// <summary>The notebook's row before it runs (title and summary from its markdown), so pages written early link to it.</summary>
    private static SiteEntry Planned(Cli.Notebook notebook)
    {
        string source = Path.GetFullPath(notebook.Path);
        try
        {
            var document = DibFormat.Read(notebook.Path);
            var run = new NotebookRun(source, document.Cells.Where(c => c.Kernel != "meta")
                .Select((c, i) => new CellResult(i + 1, c.Kernel, c.Source, CellStatus.NotRun, [], TimeSpan.Zero)).ToArray());
            return new SiteEntry(source, "", run.Title, run.Summary) { Cells = run.Cells.Count };
        }
        catch (Exception e) when (e is DibFormatException or IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
        {
            return new SiteEntry(source, "", Path.GetFileNameWithoutExtension(source), "") { Status = "unreadable" };
        }
    }

    private static NotebookRun Unreadable(Cli.Notebook notebook, string message) =>
        new(Path.GetFullPath(notebook.Path), [new CellResult(1, "markdown", $"# {Path.GetFileName(notebook.Path)}\n\nThis notebook could not be read:\n\n    {message}", CellStatus.Ran, [], TimeSpan.Zero)]);

    /// <summary>Writes the notebook's files into staging now; an exception of the export is this notebook's error, not the run's.</summary>
    private void Export(Cli.Notebook notebook, NotebookRun run, string? status)
    {
        string source = Path.GetFullPath(notebook.Path);
        run = run with { SourcePath = source };
        var entry = site.Entry(source);
        SiteEntry Update(SiteEntry e) => e with
        {
            Title = run.Title, Summary = run.Summary, Cells = status == "unreadable" ? 0 : run.Cells.Count, Failed = run.Failed, Status = status,
        };
        try
        {
            site.Update(source, Update);
            if (options.Formats.Contains("html"))
            {
                var (previous, next) = site.Neighbours(source);
                site.Write(source, entry.Page + ".html", HtmlSite.Page(_title, run, previous, next, !options.Untrusted), Update);
            }
            if (options.Formats.Contains("ipynb") && status != "unreadable")
                site.Write(source, entry.Page + ".ipynb", Ipynb.ToRunnableJson(run, (path, file) => site.WriteShared(path, File.ReadAllBytes(file))), Update);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stderr.WriteLine($"error: {notebook.Display}: the export failed: {e.GetType().Name}: {e.Message}");
            _problems++;
            site.Update(source, x => x with { Status = "export failed" });
        }
        if (options.Images is not null && status != "unreadable")
        {
            try
            {
                foreach (var file in Images.Write(options.Images, [run])) stdout.WriteLine($"picture: {file}");
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {e.Message}");
                _problems++;
            }
        }
    }
}
