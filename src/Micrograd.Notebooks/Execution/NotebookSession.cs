using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Dib;

namespace Micrograd.Notebooks.Execution;

/// <summary>How a session runs cells.</summary>
internal sealed record SessionOptions
{
    /// <summary>A cell still running after this long is stopped and reported.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public ExecutionLimits Limits { get; init; } = new();
}

/// <summary>
/// One notebook's kernel: open a .dib file, run its cells (one at a time, in any order, again and
/// again), get their outputs. C# cells run in the execution core, with the working directory in
/// the notebook's folder, as in the C# kernel; other kernels' cells are skipped.
/// </summary>
internal sealed class NotebookSession : IExecutionObserver
{
    private readonly SessionOptions _options;
    private readonly ExecutionSession _core;
    private readonly CellResult?[] _latest;
    private string? _broken;

    public NotebookSession(DibDocument document, SessionOptions? options = null)
    {
        Document = document;
        _options = options ?? new SessionOptions();
        Cells = document.Cells.Where(c => c.Kernel != "meta").ToArray();
        _latest = new CellResult?[Cells.Count];
        Name = Path.GetFileName(document.Path);
        Folder = Path.GetDirectoryName(Path.GetFullPath(document.Path)) ?? ".";
        ConsoleRouter.Install();
        _core = new ExecutionSession(new DesktopHost(Folder), _options.Limits, this);
    }

    public static NotebookSession Open(string path, SessionOptions? options = null) => new(DibFormat.Read(path), options);

    public DibDocument Document { get; }

    /// <summary>The notebook's cells as a reader sees them (the #!meta cell left out), numbered from 1.</summary>
    public IReadOnlyList<DibCell> Cells { get; }

    public string Name { get; }
    public string Folder { get; }

    /// <summary>Hears that a finished cell's display was replaced, or that its late code was cut off.</summary>
    public event Action<CellResult>? Changed;

    /// <summary>Runs every cell in order; the results show each cell's outputs as they stand at the end.</summary>
    public async Task<IReadOnlyList<CellResult>> RunAllAsync(Action<CellResult>? progress = null)
    {
        for (int n = 1; n <= Cells.Count; n++)
        {
            var result = await RunCellAsync(n);
            progress?.Invoke(result);
        }
        lock (_latest) return _latest.Select(r => r!).ToArray();
    }

    /// <summary>Runs cell <paramref name="number"/> (1-based) and returns what it produced.</summary>
    public async Task<CellResult> RunCellAsync(int number)
    {
        var result = await Execute(number);
        lock (_latest) _latest[number - 1] = result;
        return result;
    }

    private async Task<CellResult> Execute(int number)
    {
        var cell = Cells[number - 1];
        CellResult Result(CellStatus status, IReadOnlyList<Output> outputs, TimeSpan elapsed, string? note = null) =>
            new(number, cell.Kernel, cell.Source, status, outputs, elapsed) { Note = note };

        if (cell.Kernel == "markdown") return Result(CellStatus.Ran, [], TimeSpan.Zero);
        if (cell.Kernel != "csharp") return Result(CellStatus.Skipped, [], TimeSpan.Zero, $"skipped: this runner has no '{cell.Kernel}' kernel");
        if (_broken is not null) return Result(CellStatus.NotRun, [], TimeSpan.Zero, _broken);
        if (CheckDirectives(cell.Source, number) is { } problem) return Result(CellStatus.Failed, [new ErrorOutput("NotSupported", problem)], TimeSpan.Zero);

        var info = new CellInfo($"{Name}:cell {number}", Path.Combine(Folder, $"{Name}.cell{number}.csx")) { Tag = number };
        string directory = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = Folder;
            // A thread of its own, so that a cell that never returns can be left behind after its time limit.
            var run = Task.Factory.StartNew(() => _core.ExecuteAsync(cell.Source, info), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            if (await Task.WhenAny(run, Task.Delay(_options.CellTimeout)) != run)
            {
                _broken = $"not run: cell {number} timed out, so the notebook's state is unknown";
                return Result(CellStatus.Failed,
                    [new ErrorOutput("Timeout", $"{Name}:cell {number}: stopped after {_options.CellTimeout.TotalSeconds:0.#} s (the time limit for a cell)")],
                    _options.CellTimeout);
            }
            var done = await run;
            return Result(done.Status == ExecutionStatus.Ran ? CellStatus.Ran : CellStatus.Failed, done.Outputs, done.Elapsed);
        }
        finally
        {
            Environment.CurrentDirectory = directory;
        }
    }

    void IExecutionObserver.Updated(CellInfo cell, DisplayOutput output) =>
        Patch(cell, outputs => outputs.Select(o => o is DisplayOutput d && d.DisplayId == output.DisplayId ? output : o).ToArray());

    void IExecutionObserver.Late(CellInfo cell, Output warning) => Patch(cell, outputs => [.. outputs, warning]);

    /// <summary>Changes a finished cell's stored outputs (a later Update, a late-write warning).</summary>
    private void Patch(CellInfo cell, Func<IReadOnlyList<Output>, IReadOnlyList<Output>> change)
    {
        if (cell.Tag is not int number) return;
        CellResult? patched;
        lock (_latest)
        {
            if (_latest[number - 1] is not { } stored) return;
            patched = _latest[number - 1] = stored with { Outputs = change(stored.Outputs) };
        }
        Changed?.Invoke(patched);
    }

    /// <summary>What the C# kernel would do but this offline runner cannot: said clearly, with the line.</summary>
    private string? CheckDirectives(string source, int number)
    {
        var lines = source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith("#r \"nuget:", StringComparison.OrdinalIgnoreCase))
                return $"{Name}:cell {number}:line {i + 1}: {line} needs NuGet, and this runner is offline; reference a local .dll instead (#r \"path/to/library.dll\")";
            if (line.StartsWith("#!", StringComparison.Ordinal))
            {
                string word = line[2..].Split(' ', 2)[0];
                if (DibFormat.MagicCommands.Contains(word))
                    return $"{Name}:cell {number}:line {i + 1}: the magic command #!{word} is not supported by this runner";
                return $"{Name}:cell {number}:line {i + 1}: #!{word} is neither a kernel nor a magic command{Suggestions.DidYouMean("#!" + word, DibFormat.KnownKernelNames.Concat(DibFormat.MagicCommands).Select(k => "#!" + k))}";
            }
        }
        return null;
    }
}
