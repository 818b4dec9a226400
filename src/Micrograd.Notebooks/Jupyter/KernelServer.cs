using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetMQ;
using NetMQ.Sockets;

namespace Micrograd.Notebooks.Jupyter;

/// <summary>
/// The Jupyter kernel: the messaging protocol 5.3 over ZeroMQ (NetMQ), in front of one
/// <see cref="KernelSession"/>. One poller thread owns every socket (shell, control, stdin and iopub,
/// and the heartbeat echo); shell requests are handled in order on a thread of their own, each
/// cell on a thread of its own, and control requests (interrupt, shutdown) at once on the poller.
/// Everything sent goes through one queue to the poller, so iopub keeps the order things happened.
/// </summary>
internal sealed class KernelServer : IKernelChannels, IDisposable
{
    private enum Channel { Shell, Control, Stdin, IoPub }

    private readonly ConnectionFile _connection;
    private readonly Wire _wire;
    private readonly TextWriter _log;
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly RouterSocket _shell = new(), _control = new(), _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly ResponseSocket _heartbeat = new();
    private readonly NetMQQueue<(Channel Channel, NetMQMessage Message)> _outgoing = new();
    private readonly NetMQPoller _poller;
    private readonly BlockingCollection<(JupyterMessage Message, long ReceivedAt)> _shellQueue = new();
    private readonly List<HistoryEntry> _history = new();
    private readonly object _inputGate = new();
    private KernelSession _kernel = null!;
    private PendingInput? _input;
    private long _abortBefore;
    private int _executionCount;

    /// <summary>MICROGRAD_KERNEL_MEMORY=N logs the kernel's memory to stderr every N cells (for the benchmark; it forces a full collection).</summary>
    private readonly int _memoryEvery = int.TryParse(Environment.GetEnvironmentVariable("MICROGRAD_KERNEL_MEMORY"), out int every) ? every : 0;

    public KernelServer(ConnectionFile connection, TextWriter log)
    {
        _connection = connection;
        _wire = new Wire(connection.Key);
        _log = log;
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat }) socket.Options.Linger = TimeSpan.FromSeconds(1);
        try
        {
            _shell.Bind(connection.Address(connection.Shell));
            _control.Bind(connection.Address(connection.Control));
            _stdin.Bind(connection.Address(connection.Stdin));
            _iopub.Bind(connection.Address(connection.IoPub));
            _heartbeat.Bind(connection.Address(connection.Heartbeat));
        }
        catch (NetMQException e)
        {
            Dispose();
            throw new KernelStartException($"cannot listen on {connection.Ip} (ports {connection.Shell}, {connection.Control}, {connection.Stdin}, {connection.IoPub}, {connection.Heartbeat}): {e.Message}");
        }
        _shell.ReceiveReady += (_, e) => Receive(e.Socket, m => _shellQueue.Add((m, Stopwatch.GetTimestamp())));
        _control.ReceiveReady += (_, e) => Receive(e.Socket, Control);
        _stdin.ReceiveReady += (_, e) => Receive(e.Socket, Stdin);
        _heartbeat.ReceiveReady += (_, e) =>
        {
            var ping = new NetMQMessage();
            while (e.Socket.TryReceiveMultipartMessage(ref ping)) e.Socket.SendMultipartMessage(ping);
        };
        _outgoing.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var item, TimeSpan.Zero)) SocketOf(item.Channel).SendMultipartMessage(item.Message);
        };
        _poller = new NetMQPoller { _shell, _control, _stdin, _heartbeat, _outgoing };
    }

    public static string Implementation => "micrograd-csharp";

    public static string Version => typeof(KernelServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    /// <summary>Serves until a shutdown_request; returns the process's exit code.</summary>
    public int Run()
    {
        _kernel = new KernelSession(this, Environment.CurrentDirectory);
        var warm = new Thread(() =>
        {
            try { _kernel.Editor.Warm(); }
            catch (Exception e) { _log.WriteLine($"kernel: completion warm-up failed: {e.GetType().Name}: {e.Message}"); }
        }) { IsBackground = true, Name = "completion warm-up", Priority = ThreadPriority.BelowNormal };
        var shell = new Thread(ShellLoop) { IsBackground = true, Name = "shell" };
        shell.Start();
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        warm.Start();
        WatchParent();
        _poller.Run();
        _shellQueue.CompleteAdding();
        while (_outgoing.TryDequeue(out var item, TimeSpan.Zero)) SocketOf(item.Channel).SendMultipartMessage(item.Message);
        return 0;
    }

    /// <summary>
    /// Jupyter names its own process in JPY_PARENT_PID: when that process is gone (a front end that
    /// was killed), the kernel ends too instead of lingering.
    /// </summary>
    private void WatchParent()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out int pid) || pid <= 1) return;
        new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(1000);
                try
                {
                    using var parent = Process.GetProcessById(pid);
                    if (!parent.HasExited) continue;
                }
                catch (ArgumentException) { }
                catch (InvalidOperationException) { }
                _log.WriteLine($"kernel: the front end's process {pid} is gone; shutting down");
                _poller.StopAsync();
                return;
            }
        }) { IsBackground = true, Name = "parent watch" }.Start();
    }

    public void Dispose()
    {
        _poller?.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat }) socket.Dispose();
        _outgoing.Dispose();
    }

    private NetMQSocket SocketOf(Channel channel) => channel switch
    {
        Channel.Shell => _shell,
        Channel.Control => _control,
        Channel.Stdin => _stdin,
        _ => _iopub,
    };

    private void Receive(NetMQSocket socket, Action<JupyterMessage> handle)
    {
        var frames = new NetMQMessage();
        while (socket.TryReceiveMultipartMessage(ref frames))
        {
            var message = _wire.Deserialize(frames, out string? problem);
            if (message is null)
            {
                _log.WriteLine($"kernel: dropped a message on {Name(socket)}: {problem}");
                frames = new NetMQMessage();
                continue;
            }
            handle(message);
            frames = new NetMQMessage();
        }
    }

    private string Name(NetMQSocket socket) => socket == _shell ? "shell" : socket == _control ? "control" : "stdin";

    private void Send(Channel channel, JupyterMessage message) => _outgoing.Enqueue((channel, _wire.Serialize(message)));

    public void Publish(string type, JsonObject content, JupyterMessage? parent)
    {
        var message = JupyterMessage.Create(_session, type, content, parent, [Encoding.UTF8.GetBytes($"kernel.{_session}.{type}")]);
        Send(Channel.IoPub, message);
    }

    private void Reply(Channel channel, JupyterMessage request, string type, JsonObject content) =>
        Send(channel, JupyterMessage.Create(_session, type, content, request));

    private void Status(string state, JupyterMessage parent) => Publish("status", new JsonObject { ["execution_state"] = state }, parent);

    private void ShellLoop()
    {
        foreach (var (message, receivedAt) in _shellQueue.GetConsumingEnumerable())
        {
            Status("busy", message);
            try
            {
                Shell(message, receivedAt);
            }
            catch (Exception e)
            {
                _log.WriteLine($"kernel: {message.Type} failed: {e.GetType().Name}: {e.Message}");
                Reply(Channel.Shell, message, ReplyType(message.Type), new JsonObject { ["status"] = "error", ["ename"] = e.GetType().Name, ["evalue"] = e.Message, ["traceback"] = new JsonArray() });
            }
            Status("idle", message);
        }
    }

    private static string ReplyType(string requestType) => requestType.EndsWith("_request", StringComparison.Ordinal) ? requestType[..^"_request".Length] + "_reply" : requestType + "_reply";

    private void Shell(JupyterMessage m, long receivedAt)
    {
        var c = m.Content;
        switch (m.Type)
        {
            case "kernel_info_request":
                Reply(Channel.Shell, m, "kernel_info_reply", KernelInfo());
                break;
            case "execute_request":
                Execute(m, receivedAt);
                break;
            case "is_complete_request":
                Reply(Channel.Shell, m, "is_complete_reply", IsComplete(Text(c, "code")));
                break;
            case "complete_request":
                {
                    string code = Text(c, "code");
                    int cursor = Utf16(code, Number(c, "cursor_pos", code.Length));
                    var found = _kernel.Editor.Complete(code, cursor);
                    Reply(Channel.Shell, m, "complete_reply", new JsonObject
                    {
                        ["status"] = "ok",
                        ["matches"] = new JsonArray(found.Matches.Select(x => (JsonNode?)x).ToArray()),
                        ["cursor_start"] = CodePoints(code, found.Start),
                        ["cursor_end"] = CodePoints(code, found.End),
                        ["metadata"] = new JsonObject(),
                    });
                    break;
                }
            case "inspect_request":
                {
                    string code = Text(c, "code");
                    string? text = _kernel.Editor.Inspect(code, Utf16(code, Number(c, "cursor_pos", code.Length)));
                    Reply(Channel.Shell, m, "inspect_reply", new JsonObject
                    {
                        ["status"] = "ok",
                        ["found"] = text is not null,
                        ["data"] = text is null ? new JsonObject() : new JsonObject { ["text/plain"] = text },
                        ["metadata"] = new JsonObject(),
                    });
                    break;
                }
            case "history_request":
                Reply(Channel.Shell, m, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = History(c) });
                break;
            case "comm_info_request":
                Reply(Channel.Shell, m, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "comm_open":
                // No comm targets: close it at once, as the protocol asks of a kernel that has none.
                Publish("comm_close", new JsonObject { ["comm_id"] = Text(c, "comm_id"), ["data"] = new JsonObject() }, m);
                break;
            case "comm_msg" or "comm_close":
                break;
            default:
                _log.WriteLine($"kernel: unknown message type '{m.Type}' on shell, ignored");
                break;
        }
    }

    private void Control(JupyterMessage m)
    {
        Status("busy", m);
        switch (m.Type)
        {
            case "interrupt_request":
                _kernel.Interrupt();
                Reply(Channel.Control, m, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                bool restart = m.Content["restart"] is JsonValue v && v.TryGetValue(out bool r) && r;
                Reply(Channel.Control, m, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
                Status("idle", m);
                _kernel.Interrupt();
                _poller.StopAsync(); // Run drains what is queued (this reply and status) before it returns
                return;
            case "kernel_info_request":
                Reply(Channel.Control, m, "kernel_info_reply", KernelInfo());
                break;
            default:
                _log.WriteLine($"kernel: unknown message type '{m.Type}' on control, ignored");
                break;
        }
        Status("idle", m);
    }

    private void Stdin(JupyterMessage m)
    {
        if (m.Type != "input_reply") return;
        lock (_inputGate) _input?.Set(m.Content["value"]?.GetValue<string>() ?? "");
    }

    public string? RequestInput(JupyterMessage parent, string prompt, CancellationToken cancel)
    {
        var pending = new PendingInput();
        lock (_inputGate) _input = pending;
        try
        {
            Send(Channel.Stdin, JupyterMessage.Create(_session, "input_request", new JsonObject { ["prompt"] = prompt, ["password"] = false }, parent));
            return pending.Wait(cancel);
        }
        finally
        {
            lock (_inputGate) if (_input == pending) _input = null;
        }
    }

    private void Execute(JupyterMessage m, long receivedAt)
    {
        var c = m.Content;
        string code = Text(c, "code");
        bool silent = Flag(c, "silent", false);
        bool storeHistory = !silent && Flag(c, "store_history", true);
        bool stopOnError = Flag(c, "stop_on_error", true);
        bool allowStdin = Flag(c, "allow_stdin", true);

        if (receivedAt < Interlocked.Read(ref _abortBefore))
        {
            Reply(Channel.Shell, m, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
            return;
        }
        if (storeHistory)
        {
            _executionCount++;
            lock (_history) _history.Add(new HistoryEntry(1, _executionCount, code));
        }
        int count = Math.Max(_executionCount, 1);
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, m);

        if (HelpTopic(code) is { } topic)
        {
            Reply(Channel.Shell, m, "execute_reply", Ok(count, Help(topic, silent, m)));
            return;
        }

        var request = new ExecuteRequest(m, code, silent, allowStdin, count) { CompilationBefore = CompilationOfSession() };
        var outcome = _kernel.Execute(request);
        if (_memoryEvery > 0 && count % _memoryEvery == 0) LogMemory(count);
        if (storeHistory) lock (_history) _history[^1].Output = request.ResultText;
        if (outcome.Ok)
        {
            Reply(Channel.Shell, m, "execute_reply", Ok(count, []));
            return;
        }
        if (stopOnError) Interlocked.Exchange(ref _abortBefore, Stopwatch.GetTimestamp());
        Reply(Channel.Shell, m, "execute_reply", new JsonObject
        {
            ["status"] = "error",
            ["execution_count"] = count,
            ["ename"] = outcome.EName,
            ["evalue"] = outcome.EValue,
            ["traceback"] = new JsonArray(outcome.Traceback!.Select(t => (JsonNode?)t).ToArray()),
        });
    }

    private object? CompilationOfSession() => _kernel.Compilation;

    private void LogMemory(int count)
    {
        const double MB = 1024 * 1024;
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        var info = GC.GetGCMemoryInfo();
        _log.WriteLine(FormattableString.Invariant(
            $"kernel: memory after cell {count}: managed heap {heap / MB:F0} MB after a full collection, GC committed {info.TotalCommittedBytes / MB:F0} MB, working set {Environment.WorkingSet / MB:F0} MB"));
    }

    private static JsonObject Ok(int count, JsonNode[] payload) => new()
    {
        ["status"] = "ok",
        ["execution_count"] = count,
        ["user_expressions"] = new JsonObject(),
        ["payload"] = new JsonArray(payload),
    };

    /// <summary>
    /// A cell that is only <c>expr?</c> or <c>?expr</c> asks for help, as in IPython and xeus-cling:
    /// the expression, or null for a cell of code (C# has no statement that starts or ends with '?').
    /// </summary>
    internal static string? HelpTopic(string code)
    {
        string cell = code.Trim();
        if (cell.Contains('\n', StringComparison.Ordinal) || cell.Contains(';', StringComparison.Ordinal)) return null;
        string topic = cell.StartsWith('?') ? cell.TrimStart('?') : cell.EndsWith('?') ? cell.TrimEnd('?') : "";
        topic = topic.Trim();
        return topic.Length > 0 && !topic.StartsWith('?') && !topic.EndsWith('?') ? topic : null;
    }

    /// <summary>The help request's answer: what inspect_request shows for the topic, as a page payload (Jupyter's pager).</summary>
    private JsonNode[] Help(string topic, bool silent, JupyterMessage parent)
    {
        if (_kernel.Editor.Inspect(topic, topic.Length) is { } text)
            return [new JsonObject { ["source"] = "page", ["data"] = new JsonObject { ["text/plain"] = text }, ["start"] = 0 }];
        if (!silent) Publish("stream", new JsonObject { ["name"] = "stdout", ["text"] = $"no help found for '{topic}'\n" }, parent);
        return [];
    }

    private static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = Implementation,
        ["implementation_version"] = Version,
        ["language_info"] = new JsonObject
        {
            ["name"] = "csharp",
            ["version"] = LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString(),
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = $"C# (micrograd) {Version}: C# {LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString()} scripting on .NET {Environment.Version}, as the .NET Interactive C# kernel runs it",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };

    /// <summary>complete / incomplete (with the next line's indent) / invalid, from Roslyn's parser.</summary>
    internal static JsonObject IsComplete(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        if (!SyntaxFactory.IsCompleteSubmission(tree))
        {
            int depth = 0;
            foreach (var token in tree.GetRoot().DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.OpenBraceToken)) depth++;
                else if (token.IsKind(SyntaxKind.CloseBraceToken) && !token.IsMissing) depth--;
            }
            return new JsonObject { ["status"] = "incomplete", ["indent"] = new string(' ', 4 * Math.Max(depth, 0)) };
        }
        bool errors = tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        return new JsonObject { ["status"] = errors ? "invalid" : "complete" };
    }

    /// <summary>One stored cell: session 1 is this kernel's (history is not kept across kernels).</summary>
    private sealed record HistoryEntry(int Session, int Line, string Code)
    {
        public string? Output { get; set; }
    }

    private JsonArray History(JsonObject c)
    {
        string access = Text(c, "hist_access_type");
        bool output = Flag(c, "output", false);
        List<HistoryEntry> all;
        lock (_history) all = _history.ToList();
        int session = Number(c, "session", 0);
        int start = Number(c, "start", 0), stop = Number(c, "stop", 0);
        IEnumerable<HistoryEntry> chosen = access switch
        {
            "tail" => all.TakeLast(Math.Max(0, Number(c, "n", 10))),
            // session 0 (or less) counts back from this one; there is only this one
            "range" => all.Where(h => (session <= 0 || h.Session == session) && h.Line >= start && (stop <= 0 || h.Line < stop)),
            "search" => Search(all, Text(c, "pattern"), Flag(c, "unique", false), Number(c, "n", 0)),
            _ => [],
        };
        return new JsonArray(chosen.Select(h => (JsonNode?)new JsonArray(h.Session, h.Line, output ? new JsonArray(h.Code, h.Output) : h.Code)).ToArray());
    }

    /// <summary>A glob over whole cells (* and ?), as IPython's history search takes it.</summary>
    private static IEnumerable<HistoryEntry> Search(List<HistoryEntry> all, string pattern, bool unique, int n)
    {
        var regex = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(pattern.Length == 0 ? "*" : pattern)
            .Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", System.Text.RegularExpressions.RegexOptions.Singleline);
        var found = all.Where(h => regex.IsMatch(h.Code)).ToList();
        if (unique) found = found.GroupBy(h => h.Code).Select(g => g.Last()).OrderBy(h => h.Line).ToList();
        return n > 0 ? found.TakeLast(n) : found;
    }

    private static string Text(JsonObject c, string name) => c[name] is JsonValue v && v.TryGetValue(out string? s) ? s : "";

    private static bool Flag(JsonObject c, string name, bool fallback) => c[name] is JsonValue v && v.TryGetValue(out bool b) ? b : fallback;

    private static int Number(JsonObject c, string name, int fallback) => c[name] is JsonValue v && v.TryGetValue(out int i) ? i : fallback;

    /// <summary>Jupyter counts cursor positions in Unicode code points; .NET strings in UTF-16 units.</summary>
    internal static int Utf16(string text, int codePoints)
    {
        int at = 0;
        for (int n = 0; n < codePoints && at < text.Length; n++) at += char.IsHighSurrogate(text[at]) && at + 1 < text.Length ? 2 : 1;
        return at;
    }

    internal static int CodePoints(string text, int utf16)
    {
        int n = 0;
        for (int at = 0; at < utf16 && at < text.Length; n++) at += char.IsHighSurrogate(text[at]) && at + 1 < text.Length ? 2 : 1;
        return n;
    }

    /// <summary>A line waited for by a cell, given by the stdin socket or cancelled by an interrupt.</summary>
    private sealed class PendingInput
    {
        private readonly ManualResetEventSlim _set = new();
        private string? _value;

        public void Set(string value)
        {
            _value = value;
            _set.Set();
        }

        public string? Wait(CancellationToken cancel)
        {
            try
            {
                _set.Wait(cancel);
                return _value;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }
}
