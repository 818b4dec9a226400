using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Pipes;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Dib;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Notebooks.Runner;

/// <summary>Why a notebook's process ended before it said it was done.</summary>
internal sealed record ProcessEnd(int Cell, string Reason, bool MemoryLimit = false)
{
    /// <summary>It ended after its last cell had finished, before it said it was done (a thread of a cell, say).</summary>
    public bool AfterLastCell { get; init; }

    /// <summary>"the notebook's process ended in cell 3 (stack overflow)", or "memory limit reached at cell 3 (…)".</summary>
    public string Describe() => MemoryLimit
        ? $"memory limit reached at cell {Cell} ({Reason}); its process was ended"
        : AfterLastCell ? $"the notebook's process ended after cell {Cell}, before it was done ({Reason})"
        : Cell > 0 ? $"the notebook's process ended in cell {Cell} ({Reason})" : $"the notebook's process ended before its first cell ({Reason})";
}

/// <summary>
/// A notebook run in a process of its own (this same tool's hidden <c>run-child</c> command), so
/// that a crash, <c>Environment.Exit</c>, a stack overflow, a thread that throws or a cell that
/// never returns ends that notebook only. The API is <see cref="NotebookSession"/>'s: open, run any
/// cell, again and again, hear about displays a later cell updates.
/// </summary>
internal sealed class NotebookProcess : IAsyncDisposable
{
    /// <summary>The GC heap of a notebook's process may not grow beyond this (DOTNET_GCHeapHardLimit).</summary>
    public const long MemoryLimit = 4L << 30;

    private const int StderrKept = 16_000;
    private static readonly object StartGate = new();

    private readonly Process _process;
    private readonly AnonymousPipeServerStream _commandPipe, _eventPipe;
    private readonly StreamWriter _commands;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();
    private TaskCompletionSource<JsonElement>? _reply;
    private string? _crash;
    private int _crashOrigin;
    private int _lastStarted;
    private CellResult?[] _latest = [];
    private SessionOptions _options = new();

    private readonly long _memoryLimit;

    private NotebookProcess(long memoryLimit)
    {
        _memoryLimit = memoryLimit;
        _commandPipe = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
        _eventPipe = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
        var (file, prefix) = ChildCommand();
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in prefix) start.ArgumentList.Add(a);
        start.ArgumentList.Add(NotebookChild.Command);
        start.ArgumentList.Add(_commandPipe.GetClientHandleAsString());
        start.ArgumentList.Add(_eventPipe.GetClientHandleAsString());
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + memoryLimit.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DOTNET_TieredPGO"] = "0"; // a notebook's process is short-lived: JIT less
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
                if (e.Data is not null && _stderr.Length < StderrKept) _stderr.Append(e.Data).Append('\n');
        };
        _process.OutputDataReceived += (_, _) => { }; // cells' output is captured in the child; nothing else matters
        lock (StartGate) // no other child may inherit this one's pipe ends
        {
            _process.Start();
            _commandPipe.DisposeLocalCopyOfClientHandle();
            _eventPipe.DisposeLocalCopyOfClientHandle();
        }
        _process.StandardInput.Close(); // cells see an empty stdin
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        _commands = new StreamWriter(_commandPipe, new UTF8Encoding(false));
        _ = Task.Run(ReadEvents);
    }

    /// <summary>Starts a process that warms up and waits for its notebook; open one with <see cref="OpenAsync"/>.</summary>
    public static NotebookProcess Start(long memoryLimit = MemoryLimit) => new(memoryLimit);

    /// <summary>Starts a process (or takes <paramref name="spare"/>) and opens the notebook at <paramref name="path"/> in it.</summary>
    public static async Task<NotebookProcess> OpenAsync(string path, SessionOptions? options = null, NotebookProcess? spare = null)
    {
        var document = DibFormat.Read(path); // a DibFormatException (file and line) before a process is taken
        var child = spare ?? Start();
        try
        {
            await child.OpenInChildAsync(document, options ?? new SessionOptions());
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    public DibDocument Document { get; private set; } = new("", []);

    /// <summary>The notebook's cells as a reader sees them (the #!meta cell left out), numbered from 1.</summary>
    public IReadOnlyList<DibCell> Cells { get; private set; } = [];

    public string Name => Path.GetFileName(Document.Path);

    /// <summary>Set once the process has ended before it was done: where and why.</summary>
    public ProcessEnd? Ended { get; private set; }

    /// <summary>Hears that a finished cell's outputs changed (a later cell updated its display; late code was cut off).</summary>
    public event Action<CellResult>? Changed;

    private async Task OpenInChildAsync(DibDocument document, SessionOptions options)
    {
        _options = options;
        Document = document;
        Cells = Document.Cells.Where(c => c.Kernel != "meta").ToArray();
        _latest = new CellResult?[Cells.Count];
        var reply = await Ask(Protocol.Line("open", w => w.WriteString("path", Path.GetFullPath(document.Path))), 0, TimeSpan.FromMinutes(2), CancellationToken.None);
        if (reply is not { } r)
        {
            Ended ??= await EndReason(0);
            throw new IOException(Ended.Describe());
        }
        if (r.GetProperty("kind").GetString() == "error") throw new IOException(r.GetProperty("message").GetString());
    }

    /// <summary>Runs every cell in order; once the process has ended, the rest are "not run". The results as they stand at the end.</summary>
    public async Task<IReadOnlyList<CellResult>> RunAllAsync(Action<CellResult>? progress = null, CancellationToken cancel = default)
    {
        for (int n = 1; n <= Cells.Count; n++)
        {
            var result = await RunCellAsync(n, cancel); // not inside progress?.Invoke(…), which would skip it without a listener
            progress?.Invoke(result);
        }
        lock (_gate) return _latest.Select(r => r!).ToArray();
    }

    /// <summary>Runs cell <paramref name="number"/> (1-based) in the notebook's process; a cell past its time limit ends the process.</summary>
    public async Task<CellResult> RunCellAsync(int number, CancellationToken cancel = default)
    {
        var cell = Cells[number - 1];
        CellResult Result(CellStatus status, IReadOnlyList<Output> outputs, TimeSpan elapsed, string? note = null) =>
            new(number, cell.Kernel, cell.Source, status, outputs, elapsed) { Note = note };
        CellResult result;
        if (Ended is { } before)
            result = Result(cell.Kernel == "markdown" ? CellStatus.Ran : CellStatus.NotRun, [], TimeSpan.Zero,
                cell.Kernel == "markdown" ? null : $"not run: {before.Describe()}");
        else
        {
            var clock = Stopwatch.StartNew();
            var reply = await Ask(Protocol.Line("run", w => w.WriteNumber("cell", number)), number, _options.CellTimeout, cancel);
            if (reply is { } r)
            {
                result = Protocol.ReadResult(r);
                if (result.Outputs.OfType<ErrorOutput>().Any(e => e.Name == nameof(OutOfMemoryException)))
                {
                    await Kill(new ProcessEnd(number, $"{Size(_memoryLimit)} for a notebook's process", MemoryLimit: true));
                    result = result with { Outputs = [.. result.Outputs, new ErrorOutput("MemoryLimit", $"{Name}:cell {number}: {Ended!.Describe()}")] };
                }
            }
            else
            {
                Ended ??= await EndReason(number);
                result = Result(CellStatus.Failed, [new ErrorOutput("ProcessEnded", $"{Name}:cell {number}: {Ended.Describe()}")], clock.Elapsed);
            }
        }
        lock (_gate) _latest[number - 1] = result;
        return result;
    }

    /// <summary>Sends a command and waits for its reply; null if the process ended, or was ended after <paramref name="limit"/>.</summary>
    private async Task<JsonElement?> Ask(string command, int cell, TimeSpan limit, CancellationToken cancel)
    {
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _reply = reply;
        try
        {
            await _commands.WriteAsync(command + "\n");
            await _commands.FlushAsync();
        }
        catch (IOException) { } // the process has ended: its reply will not come
        using var timer = new CancellationTokenSource();
        var waiting = Task.Delay(limit, timer.Token);
        var cancelled = Task.Delay(Timeout.Infinite, cancel);
        var first = await Task.WhenAny(reply.Task, _exited.Task, waiting, cancelled);
        timer.Cancel();
        if (first == reply.Task) return reply.Task.Result;
        if (first == cancelled)
        {
            await Kill(new ProcessEnd(cell, "interrupted"));
            cancel.ThrowIfCancellationRequested();
        }
        if (first == waiting)
            await Kill(new ProcessEnd(cell, $"killed after the timeout of {limit.TotalSeconds:0.#} s"));
        // The process exited: a reply it sent just before still counts.
        return await Task.WhenAny(reply.Task, Task.Delay(200)) == reply.Task ? reply.Task.Result : null;
    }

    private async Task ReadEvents()
    {
        try
        {
            using var reader = new StreamReader(_eventPipe, new UTF8Encoding(false));
            while (await reader.ReadLineAsync() is { } line)
            {
                var message = JsonDocument.Parse(line).RootElement;
                switch (message.GetProperty("kind").GetString())
                {
                    case "started":
                        _lastStarted = message.GetProperty("cell").GetInt32();
                        break;
                    case "updated":
                        var changed = Protocol.ReadResult(message);
                        lock (_gate)
                            if (changed.Number >= 1 && changed.Number <= _latest.Length) _latest[changed.Number - 1] = changed;
                        Changed?.Invoke(changed);
                        break;
                    case "crashed":
                        (_crashOrigin, _crash) = (message.GetProperty("cell").GetInt32(), message.GetProperty("message").GetString());
                        break;
                    default:
                        TaskCompletionSource<JsonElement>? reply;
                        lock (_gate) (reply, _reply) = (_reply, null);
                        reply?.TrySetResult(message);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or JsonException or ObjectDisposedException) { }
        _exited.TrySetResult(); // no more events: count the process as ended even if something still holds the pipe
    }

    /// <summary>Ends the process now (a timeout, Ctrl+C, the memory limit), so that no code of the notebook runs on.</summary>
    private async Task Kill(ProcessEnd why)
    {
        Ended ??= why;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
        await Task.WhenAny(_process.WaitForExitAsync(), Task.Delay(5000));
    }

    /// <summary>Why the process ended on its own, from its exit code, its last words on stderr and what it said before.</summary>
    private async Task<ProcessEnd> EndReason(int cell)
    {
        await Task.WhenAny(_process.WaitForExitAsync(), Task.Delay(5000));
        string stderr;
        lock (_stderr) stderr = _stderr.ToString();
        int code = _process.HasExited ? _process.ExitCode : -1;
        if (stderr.Contains("Stack overflow", StringComparison.Ordinal)) return new ProcessEnd(cell, "stack overflow");
        if (stderr.Contains("OutOfMemory", StringComparison.Ordinal) || stderr.Contains("Out of memory", StringComparison.OrdinalIgnoreCase))
            return new ProcessEnd(cell, $"{Size(_memoryLimit)} for a notebook's process", MemoryLimit: true);
        if (_crash is { } crash)
            return new ProcessEnd(cell, $"an exception escaped a thread {(_crashOrigin > 0 ? $"that cell {_crashOrigin} started" : "the notebook started")}: {crash}");
        string said = stderr.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) is { } first ? $": {Shorten(first)}" : "";
        return new ProcessEnd(cell, code switch
        {
            -1 => "it stopped answering",
            137 => "killed (signal 9, perhaps the system ran out of memory)",
            _ => $"exited with code {code}{said}",
        });
    }

    private static string Size(long bytes) => bytes >= 1L << 30 && bytes % (1L << 30) == 0 ? $"{bytes >> 30} GB" : $"{bytes >> 20} MB";

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";

    /// <summary>This same tool, run by the same dotnet: <c>dotnet exec Micrograd.Notebooks.dll</c>.</summary>
    private static (string File, string[] Prefix) ChildCommand()
    {
        string dll = typeof(NotebookProcess).Assembly.Location;
        string root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        string dotnet = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return (File.Exists(dotnet) ? dotnet : "dotnet", ["exec", dll]);
    }

    /// <summary>Says goodbye (the process ends itself, leaving no thread of a cell running) or ends it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited && Ended is null)
        {
            var done = await Ask(Protocol.Line("quit"), _lastStarted, TimeSpan.FromSeconds(10), CancellationToken.None);
            if (done is null)
            {
                // It never said "done": it failed, even if it exited with code 0.
                Ended = Ended is { } killed ? killed with { Reason = "it did not end when asked", AfterLastCell = true }
                    : (await EndReason(_lastStarted)) with { AfterLastCell = true };
                if (!_process.HasExited) await Kill(Ended);
            }
        }
        else if (!_process.HasExited) await Kill(Ended ?? new ProcessEnd(_lastStarted, "ended"));
        await Task.WhenAny(_process.WaitForExitAsync(), Task.Delay(2000));
        _commands.Dispose();
        _process.Dispose();
    }
}
