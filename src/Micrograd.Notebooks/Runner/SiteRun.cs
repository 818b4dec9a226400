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
        var lanes = new Lanes(notebooks.Count, stdout, stderr);
        // Two notebooks at a time on a machine with two cores or more; one at a time with a warm spare process otherwise.
        int jobs = Math.Clamp(Environment.ProcessorCount, 1, 2);
        var running = new List<Task>();
        for (int i = 0; i < notebooks.Count && !interrupt.IsCancellationRequested; i++)
        {
            if (running.Count >= jobs) running.Remove(await Task.WhenAny(running));
            if (interrupt.IsCancellationRequested) break;
            running.Add(RunNotebook(notebooks[i], lanes.Lane(i), sessionOptions, clock, spareNext: jobs == 1 && i + 1 < notebooks.Count, interrupt));
        }
        await Task.WhenAll(running);
        NotebookProcess? left;
        lock (_gate) (left, _spare) = (_spare, null);
        if (left is not null) await left.DisposeAsync();
        if (interrupt.IsCancellationRequested)
        {
            lanes.FlushAll();
            stderr.WriteLine($"interrupted: {_ran} of {notebooks.Count} notebooks ran; '{options.Out}' was left as it was");
            return Cli.Interrupted;
        }

        bool html = options.Formats.Contains("html");
        if (html)
            foreach (var (path, bytes) in MathRendering.Assets()) site.WriteShared(path, bytes);
        if (html && options.Live)
        {
            foreach (var (path, file) in LiveSite.RuntimeFiles(LiveSite.RuntimeFolder())) site.CopyShared(path, file);
            foreach (var (path, bytes) in LiveSite.Assets()) site.WriteShared(path, bytes);
        }
        site.Publish(title, html ? entries => HtmlSite.Index(title, entries, intro, !options.Untrusted) : null);
        stdout.WriteLine($"summary: {_ran} notebooks, {_cells} cells ({_code} code), {_failed} failed, {_notRun} skipped or not run, {_problems} read, process or export errors, {clock.Elapsed.TotalSeconds:0.0} s");
        stdout.WriteLine($"wrote {string.Join(" and ", options.Formats.Order(StringComparer.Ordinal))} to {Path.GetFullPath(options.Out)}{(html ? Path.DirectorySeparatorChar + "index.html" : "")}");
        return _failed + _problems == 0 ? Cli.Ok : Cli.CellsFailed;
    }

    private readonly object _gate = new();
    private NotebookProcess? _spare;

    private async Task RunNotebook(Cli.Notebook notebook, Lane lane, SessionOptions sessionOptions, Stopwatch clock, bool spareNext, CancellationToken interrupt)
    {
        await Task.Yield();
        NotebookProcess? child = null, spare;
        lock (_gate) (spare, _spare) = (_spare, null);
        try
        {
            try
            {
                child = await NotebookProcess.OpenAsync(notebook.Path, sessionOptions, spare);
                spare = null;
            }
            catch (Exception e) when (e is DibFormatException or IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
            {
                if (e is not DibFormatException) spare = null; // it was used, and is gone
                string message = e is DibFormatException ? e.Message
                    : Cli.BrokenLink(notebook.Path) is { } broken ? broken : $"{notebook.Display}: cannot be read: {e.Message}";
                lane.Err($"error: {message}");
                Interlocked.Increment(ref _problems);
                Export(notebook, Unreadable(notebook, message), "unreadable", lane);
                return;
            }
            finally
            {
                if (spare is not null) lock (_gate) _spare ??= spare; // not used: the next notebook takes it
            }
            if (spareNext) lock (_gate) _spare ??= NotebookProcess.Start(); // warms up while this notebook runs

            var started = clock.Elapsed;
            var results = await child.RunAllAsync(r => Progress(child, r, lane), interrupt);
            await child.DisposeAsync(); // says goodbye: a process that cannot has failed too
            var ended = child.Ended;
            child = null;
            var run = new NotebookRun(notebook.Path, results);
            lock (_gate)
            {
                _ran++;
                _cells += run.Cells.Count;
                _code += run.Cells.Count(c => c.Kernel != "markdown");
                _failed += run.Failed;
                _notRun += run.Cells.Count(c => c.Status is CellStatus.Skipped or CellStatus.NotRun);
                if (ended is not null) _problems++;
            }
            if (ended is not null) lane.Err($"error: {notebook.Display}: {ended.Describe()}");
            lane.Out($"{Path.GetFileName(notebook.Path)}: {results.Count} cells, {run.Failed} failed, {(clock.Elapsed - started).TotalSeconds:0.0} s");
            Export(notebook, run, ended is null ? null : ended.MemoryLimit ? "memory limit" : "process ended", lane);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            // Ctrl+C: the notebook's process was ended; nothing of this notebook is published.
        }
        finally
        {
            if (child is not null) await child.DisposeAsync();
            lane.Done();
        }
    }

    private void Progress(NotebookProcess child, CellResult r, Lane lane)
    {
        string status = r.Status switch { CellStatus.Ran => "ok", CellStatus.Failed => "FAILED", CellStatus.Skipped => "skipped", _ => "not run" };
        if (r.Kernel != "markdown" && !(r.Status == CellStatus.NotRun && child.Ended is not null))
            lane.Out($"  {child.Name}  cell {r.Number,2}/{child.Cells.Count}  {status,-7} {r.Elapsed.TotalSeconds,6:0.00} s");
        foreach (var e in r.Outputs.OfType<ErrorOutput>().Where(e => e.Name is not ("ProcessEnded" or "MemoryLimit")))
            lane.Err($"error: {e.Message}");
        if (r.Note is { } note && child.Ended is null) lane.Out($"    {note}");
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
    private void Export(Cli.Notebook notebook, NotebookRun run, string? status, Lane lane)
    {
        string source = Path.GetFullPath(notebook.Path);
        run = run with { SourcePath = source };
        SiteEntry entry;
        lock (site) entry = site.Entry(source);
        SiteEntry Update(SiteEntry e) => e with
        {
            Title = run.Title, Summary = run.Summary, Cells = status == "unreadable" ? 0 : run.Cells.Count, Failed = run.Failed, Status = status,
        };
        try
        {
            lock (site) site.Update(source, Update);
            if (options.Formats.Contains("html"))
            {
                SiteEntry? previous, next;
                lock (site) (previous, next) = site.Neighbours(source);
                var libraries = new List<(string Path, string File)>();
                string? live = options.Live && status != "unreadable" ? LiveSite.PageData(run, ServeCommand.Hint(options.Out), (path, file) => libraries.Add((path, file))) : null;
                string page = HtmlSite.Page(_title, run, previous, next, !options.Untrusted, live);
                lock (site)
                {
                    site.Write(source, entry.Page + ".html", page, Update);
                    foreach (var (path, file) in libraries) site.WriteShared(path, File.ReadAllBytes(file));
                }
            }
            if (options.Formats.Contains("ipynb") && status != "unreadable")
            {
                var libraries = new List<(string Path, string File)>();
                string json = Ipynb.ToRunnableJson(run, (path, file) => libraries.Add((path, file)));
                lock (site)
                {
                    site.Write(source, entry.Page + ".ipynb", json, Update);
                    foreach (var (path, file) in libraries) site.WriteShared(path, File.ReadAllBytes(file));
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lane.Err($"error: {notebook.Display}: the export failed: {e.GetType().Name}: {e.Message}");
            Interlocked.Increment(ref _problems);
            lock (site) site.Update(source, x => x with { Status = "export failed" });
        }
        if (options.Images is not null && status != "unreadable")
        {
            try
            {
                foreach (var file in Images.Write(options.Images, [run])) lane.Out($"picture: {file}");
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                lane.Err($"error: {e.Message}");
                Interlocked.Increment(ref _problems);
            }
        }
    }

    /// <summary>Where each notebook's lines go: the first unfinished notebook's straight to the console, the others' kept until its turn, so the output reads in order.</summary>
    private sealed class Lanes(int count, TextWriter stdout, TextWriter stderr)
    {
        private readonly Lane[] _lanes = Enumerable.Range(0, count).Select(_ => new Lane()).ToArray();
        private int _head;

        public Lane Lane(int i)
        {
            var lane = _lanes[i];
            lane.Owner = this;
            lock (this) if (i == _head) lane.Live(stdout, stderr);
            return lane;
        }

        public void Advance()
        {
            lock (this)
                while (_head < _lanes.Length && _lanes[_head].Finished)
                    if (++_head < _lanes.Length) _lanes[_head].Live(stdout, stderr);
        }

        public void FlushAll()
        {
            lock (this) foreach (var lane in _lanes) lane.Live(stdout, stderr);
        }
    }

    private sealed class Lane
    {
        private readonly List<(bool Error, string Line)> _kept = new();
        private TextWriter? _out, _err;

        public Lanes? Owner { get; set; }
        public bool Finished { get; private set; }

        public void Out(string line) => Write(false, line);
        public void Err(string line) => Write(true, line);

        private void Write(bool error, string line)
        {
            lock (this)
            {
                if (_out is null) { _kept.Add((error, line)); return; }
                (error ? _err! : _out).WriteLine(line);
            }
        }

        public void Live(TextWriter stdout, TextWriter stderr)
        {
            lock (this)
            {
                if (_out is not null) return;
                (_out, _err) = (stdout, stderr);
                foreach (var (error, line) in _kept) (error ? stderr : stdout).WriteLine(line);
                _kept.Clear();
            }
        }

        public void Done()
        {
            lock (this) Finished = true;
            Owner?.Advance();
        }
    }
}
