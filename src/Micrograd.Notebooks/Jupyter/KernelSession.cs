using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Threading;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Notebooks.Jupyter;

/// <summary>What the session needs from the protocol side: iopub, and a line from the front end's stdin.</summary>
internal interface IKernelChannels
{
    void Publish(string type, JsonObject content, JupyterMessage? parent);

    /// <summary>Asks the front end for a line (input_request on stdin); null when interrupted.</summary>
    string? RequestInput(JupyterMessage parent, string prompt, CancellationToken cancel);
}

/// <summary>One execute_request while it runs.</summary>
internal sealed class ExecuteRequest(JupyterMessage message, string code, bool silent, bool allowStdin, int count)
{
    public JupyterMessage Message { get; } = message;
    public string Code { get; } = code;
    public bool Silent { get; } = silent;
    public bool AllowStdin { get; } = allowStdin;
    public int Count { get; } = count;

    /// <summary>The session's compilation before the cell: when it changes, the cell's own code has finished.</summary>
    public object? CompilationBefore { get; init; }

    public CancellationTokenSource Interrupt { get; } = new();
    public long InterruptedAt;

    /// <summary>Interrupted, but its code would not stop: its later output is dropped.</summary>
    public volatile bool Abandoned;

    public Thread? Thread;

    /// <summary>The trailing value as plain text, for the history's output.</summary>
    public string? ResultText;
}

/// <summary>What an execution gave, for the execute_reply.</summary>
internal sealed record ExecuteOutcome(bool Ok, string? EName = null, string? EValue = null, IReadOnlyList<string>? Traceback = null);

/// <summary>
/// The kernel's host of the execution core: the same <see cref="ExecutionSession"/> and
/// <see cref="DesktopHost"/> the runner uses, with the kernel's working directory as the notebook's
/// folder. Outputs are forwarded to iopub as the core reports them; nothing about how cells run
/// lives here. Each cell runs on a thread of its own so that an interrupt can reach it.
/// </summary>
internal sealed class KernelSession : IExecutionObserver
{
    /// <summary>How long an interrupted cell gets to stop before the kernel gives up waiting for it.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(2);

    private readonly IKernelChannels _channels;
    private readonly ExecutionSession _core;
    private readonly UpdateThrottle _throttle;
    private readonly Lazy<CodeIntelligence> _editor;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _ran = new();
    private ExecuteRequest? _running;

    public KernelSession(IKernelChannels channels, string folder)
    {
        _channels = channels;
        Folder = folder;
        ConsoleRouter.Install();
        var host = new DesktopHost(folder);
        _core = new ExecutionSession(host, new ExecutionLimits(), this);
        _throttle = new UpdateThrottle((content, parent) => _channels.Publish("update_display_data", content, parent));
        // Built on first use (the warm-up thread, started with the kernel): MEF and Roslyn's workspace take a second.
        _editor = new Lazy<CodeIntelligence>(() => new CodeIntelligence(host.References, folder, _ran), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Folder { get; }

    /// <summary>The session's last compilation (it changes when a cell has run).</summary>
    public object? Compilation => _core.Compilation;
    public CodeIntelligence Editor => _editor.Value;

    public ExecuteOutcome Execute(ExecuteRequest request)
    {
        var info = new CellInfo($"cell {request.Count}", Path.Combine(Folder, $"cell{_core.ExecutionCount + 1}.csx")) { Tag = request };
        CellExecution? result = null;
        Exception? crash = null;
        using var done = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            try { result = _core.ExecuteAsync(request.Code, info).GetAwaiter().GetResult(); }
            catch (Exception e) { crash = e; }
            finally { done.Set(); }
        }) { IsBackground = true, Name = $"cell {request.Count}" };
        request.Thread = thread;
        Volatile.Write(ref _running, request);
        thread.Start();
        while (!done.Wait(50))
        {
            long at = Interlocked.Read(ref request.InterruptedAt);
            if (at != 0 && Stopwatch.GetElapsedTime(at) > InterruptGrace)
            {
                request.Abandoned = true;
                break;
            }
        }
        Volatile.Write(ref _running, null);
        _throttle.Flush();

        if (request.Abandoned)
            return Error(request, "Interrupted", "the cell was interrupted, but its code did not stop: it keeps running in the background until the kernel is restarted",
                [$"{info.Name}: interrupted; the code is inside a call that does not return (restart the kernel to end it)"]);
        if (result is null)
            return request.Interrupt.IsCancellationRequested
                ? Error(request, "Interrupted", "the cell was interrupted", [$"{info.Name}: interrupted"])
                : Error(request, crash?.GetType().Name ?? "Error", crash?.Message ?? "the cell failed", [$"{info.Name}: {crash?.GetType().Name}: {crash?.Message}"]);

        if (result.ExecutionCount > 0 && ReferenceEquals(_core.Compilation, request.CompilationBefore) is false) // it joined the session, also if it threw
            _ran.Enqueue(request.Code); // the editor takes it in at its next request, never delaying this reply
        var errors = result.Outputs.OfType<ErrorOutput>().ToList();
        if (result.Status == ExecutionStatus.Ran) return new ExecuteOutcome(true);
        if (request.Interrupt.IsCancellationRequested)
            return Error(request, "Interrupted", "the cell was interrupted", errors.Select(e => e.Message).DefaultIfEmpty($"{info.Name}: interrupted").ToList());
        if (errors.Count == 0) return Error(request, "Error", "the cell failed", [$"{info.Name}: failed"]);
        string evalue = errors[0].Message;
        return Error(request, errors[0].Name, evalue, errors.Select(e => e.Message).ToList());
    }

    /// <summary>interrupt_request: stops the running cell (through the core when it can; waits and input are interrupted always).</summary>
    public void Interrupt()
    {
        var request = Volatile.Read(ref _running);
        if (request is null) return;
        Interlocked.CompareExchange(ref request.InterruptedAt, Stopwatch.GetTimestamp(), 0);
        request.Interrupt.Cancel();
        _core.Interrupt();
        try { request.Thread?.Interrupt(); }
        catch (System.Security.SecurityException) { }
    }

    private ExecuteOutcome Error(ExecuteRequest request, string ename, string evalue, IReadOnlyList<string> traceback)
    {
        if (!request.Silent)
            _channels.Publish("error", new JsonObject
            {
                ["ename"] = ename,
                ["evalue"] = evalue,
                ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode?)("\u001b[0;31m" + t + "\u001b[0m")).ToArray()),
            }, request.Message);
        return new ExecuteOutcome(false, ename, evalue, traceback);
    }

    private static ExecuteRequest? Of(CellInfo cell) => cell.Tag as ExecuteRequest;

    private static bool Quiet(ExecuteRequest? request) => request is null || request.Silent || request.Abandoned;

    private void Stream(ExecuteRequest request, string name, string text) =>
        _channels.Publish("stream", new JsonObject { ["name"] = name, ["text"] = text }, request.Message);

    void IExecutionObserver.Streamed(CellInfo cell, string stream, string text)
    {
        var request = Of(cell);
        if (Quiet(request)) return;
        Stream(request!, stream, text);
    }

    void IExecutionObserver.Displayed(CellInfo cell, DisplayOutput output)
    {
        if (Of(cell) is not { } request || Quiet(request)) return;
        if (output.IsResult) // the trailing value
        {
            request.ResultText = output.Data.FirstOrDefault(d => d.MimeType == "text/plain").Content;
            _channels.Publish("execute_result", new JsonObject { ["execution_count"] = request.Count, ["data"] = Data(output), ["metadata"] = new JsonObject() }, request.Message);
        }
        else
            _channels.Publish("display_data", new JsonObject { ["data"] = Data(output), ["metadata"] = new JsonObject(), ["transient"] = Transient(output) }, request.Message);
    }

    void IExecutionObserver.Updated(CellInfo cell, DisplayOutput output)
    {
        var request = Volatile.Read(ref _running) ?? Of(cell);
        if (Quiet(request) || output.DisplayId is null) return;
        _throttle.Update(output.DisplayId, new JsonObject { ["data"] = Data(output), ["metadata"] = new JsonObject(), ["transient"] = Transient(output) }, request!.Message);
    }

    void IExecutionObserver.Cleared(CellInfo cell, bool wait)
    {
        var request = Of(cell);
        if (Quiet(request)) return;
        _channels.Publish("clear_output", new JsonObject { ["wait"] = wait }, request!.Message);
    }

    void IExecutionObserver.Late(CellInfo cell, Output warning)
    {
        var request = Of(cell);
        if (Quiet(request) || warning is not StreamOutput s) return;
        Stream(request!, s.Name, s.Text);
    }

    string? IExecutionObserver.ReadLine(CellInfo cell, string prompt)
    {
        var request = Of(cell);
        if (request is null || !request.AllowStdin || request.Abandoned || request.Interrupt.IsCancellationRequested) return null;
        return _channels.RequestInput(request.Message, prompt, request.Interrupt.Token);
    }

    private static JsonObject Data(DisplayOutput output)
    {
        var data = new JsonObject();
        foreach (var (mime, content) in output.Data)
            if (!data.ContainsKey(mime)) data[mime] = content;
        return data;
    }

    private static JsonObject Transient(DisplayOutput output) => new() { ["display_id"] = output.DisplayId };
}

/// <summary>
/// At most one redraw per display id every 100 ms (so ~10 a second): an update that comes sooner
/// waits, replaced by any newer one, and is sent when its time comes or when the cell ends, so the
/// last one always goes out.
/// </summary>
internal sealed class UpdateThrottle
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly Action<JsonObject, JupyterMessage> _send;
    private readonly Dictionary<string, (long SentAt, JsonObject? Pending, JupyterMessage? Parent)> _byId = new(StringComparer.Ordinal);
    private readonly Timer _timer;

    public UpdateThrottle(Action<JsonObject, JupyterMessage> send)
    {
        _send = send;
        using (ExecutionContext.SuppressFlow()) // the timer must not carry a cell's scope
            _timer = new Timer(_ => Due(), null, Interval, Interval);
    }

    public void Update(string displayId, JsonObject content, JupyterMessage parent)
    {
        lock (_byId)
        {
            _byId.TryGetValue(displayId, out var state);
            if (state.SentAt != 0 && Stopwatch.GetElapsedTime(state.SentAt) < Interval)
            {
                _byId[displayId] = (state.SentAt, content, parent);
                return;
            }
            _byId[displayId] = (Stopwatch.GetTimestamp(), null, null);
            _send(content, parent);
        }
    }

    /// <summary>Sends every waiting update now (before a cell's reply).</summary>
    public void Flush() => Send(all: true);

    private void Due() => Send(all: false);

    private void Send(bool all)
    {
        lock (_byId)
            foreach (var (id, state) in _byId.ToArray())
                if (state.Pending is not null && (all || Stopwatch.GetElapsedTime(state.SentAt) >= Interval))
                {
                    _byId[id] = (Stopwatch.GetTimestamp(), null, null);
                    _send(state.Pending, state.Parent!);
                }
    }
}
