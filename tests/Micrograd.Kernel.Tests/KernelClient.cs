using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // kernels are processes on a 2-core machine

namespace Micrograd.Kernel.Tests;

/// <summary>A message as the test client reads it.</summary>
internal sealed record Received(IReadOnlyList<byte[]> Identities, string Signature, JsonObject Header, JsonObject Parent, JsonObject Content)
{
    public string Type => (string)Header["msg_type"]!;
    public string? ParentId => (string?)Parent["msg_id"];
}

/// <summary>
/// A Jupyter front end written for the tests, independent of the kernel's code: its own connection
/// file, HMAC-SHA256 signing and framing, over NetMQ sockets, talking to the kernel in a child
/// process (<c>dotnet Micrograd.Notebooks.dll kernel --connection-file …</c>).
/// </summary>
internal sealed class KernelClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly List<Received> _iopubBacklog = new();

    public KernelClient(string? folder = null)
    {
        Folder = folder ?? Path.Combine(Path.GetTempPath(), "mg-kernel-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
        Key = Guid.NewGuid().ToString();
        Ports = FreePorts(5);
        ConnectionFile = Path.Combine(Folder, "connection.json");
        File.WriteAllText(ConnectionFile, new JsonObject
        {
            ["transport"] = "tcp", ["ip"] = "127.0.0.1", ["signature_scheme"] = "hmac-sha256", ["key"] = Key, ["kernel_name"] = "micrograd-csharp",
            ["shell_port"] = Ports[0], ["iopub_port"] = Ports[1], ["stdin_port"] = Ports[2], ["control_port"] = Ports[3], ["hb_port"] = Ports[4],
        }.ToJsonString());
        Clock = Stopwatch.StartNew();
        _process = Start(Folder, "kernel", "--connection-file", ConnectionFile);
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();

        byte[] identity = Encoding.ASCII.GetBytes("client-" + Guid.NewGuid().ToString("N")[..8]);
        Shell = new DealerSocket();
        Shell.Options.Identity = identity;
        Stdin = new DealerSocket();
        Stdin.Options.Identity = identity;
        Control = new DealerSocket();
        IoPub = new SubscriberSocket();
        Heartbeat = new RequestSocket();
        Shell.Connect($"tcp://127.0.0.1:{Ports[0]}");
        IoPub.Connect($"tcp://127.0.0.1:{Ports[1]}");
        IoPub.SubscribeToAnyTopic();
        Stdin.Connect($"tcp://127.0.0.1:{Ports[2]}");
        Control.Connect($"tcp://127.0.0.1:{Ports[3]}");
        Heartbeat.Connect($"tcp://127.0.0.1:{Ports[4]}");
    }

    public string Folder { get; }
    public string Key { get; }
    public int[] Ports { get; }
    public string ConnectionFile { get; }
    public Stopwatch Clock { get; }
    public DealerSocket Shell { get; }
    public DealerSocket Stdin { get; }
    public DealerSocket Control { get; }
    public SubscriberSocket IoPub { get; }
    public RequestSocket Heartbeat { get; }
    public Process Process => _process;

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>The tool's dll beside the tests (the project reference copies it).</summary>
    public static string Tool => Path.Combine(AppContext.BaseDirectory, "Micrograd.Notebooks.dll");

    /// <summary>The repository's root: the folder holding Micrograd.Notebooks.sln.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Micrograd.Notebooks.sln"))) return dir.FullName;
            throw new InvalidOperationException("Micrograd.Notebooks.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The engine the notebooks #r, as the build lays it out.</summary>
    public static string Engine => Path.Combine(Root, "artifacts", "bin", "Micrograd", "debug", "Micrograd.dll");

    public static Process Start(string folder, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(Tool);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    /// <summary>Waits for the kernel to answer kernel_info (it may still be binding its sockets).</summary>
    public JsonObject WaitForReady()
    {
        var deadline = Stopwatch.StartNew();
        var sent = new HashSet<string>();
        while (deadline.Elapsed < Timeout)
        {
            sent.Add(Send(Shell, "kernel_info_request", new JsonObject()));
            var reply = TryReceive(Shell, TimeSpan.FromSeconds(1));
            if (reply is not null && sent.Contains(reply.ParentId ?? ""))
            {
                while (TryReceive(Shell, TimeSpan.FromMilliseconds(300)) is not null) { } // the answers to the other tries
                DrainIoPub(TimeSpan.FromMilliseconds(200));
                return reply.Content;
            }
            if (_process.HasExited) throw new InvalidOperationException("the kernel exited: " + Stderr);
        }
        throw new TimeoutException("no kernel_info_reply: " + Stderr);
    }

    public string Sign(byte[][] parts, string? key = null)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key ?? Key));
        foreach (var p in parts) hmac.TransformBlock(p, 0, p.Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexStringLower(hmac.Hash!);
    }

    /// <summary>Sends a request; <paramref name="signature"/> overrides the real one (to forge), <paramref name="routing"/> adds frames before the delimiter.</summary>
    public string Send(NetMQSocket socket, string type, JsonObject content, string? signature = null, IReadOnlyList<byte[]>? routing = null)
    {
        string id = Guid.NewGuid().ToString();
        var header = new JsonObject { ["msg_id"] = id, ["session"] = _session, ["username"] = "test", ["date"] = DateTime.UtcNow.ToString("o"), ["msg_type"] = type, ["version"] = "5.3" };
        byte[][] parts = [Encoding.UTF8.GetBytes(header.ToJsonString()), "{}"u8.ToArray(), "{}"u8.ToArray(), Encoding.UTF8.GetBytes(content.ToJsonString())];
        var message = new NetMQMessage();
        foreach (var r in routing ?? []) message.Append(r);
        message.Append("<IDS|MSG>");
        message.Append(signature ?? Sign(parts));
        foreach (var p in parts) message.Append(p);
        socket.SendMultipartMessage(message);
        return id;
    }

    public Received? TryReceive(NetMQSocket socket, TimeSpan timeout)
    {
        var frames = new NetMQMessage();
        if (!socket.TryReceiveMultipartMessage(timeout, ref frames)) return null;
        var all = frames.Select(f => f.ToByteArray()).ToList();
        int at = all.FindIndex(f => Encoding.ASCII.GetString(f) == "<IDS|MSG>");
        if (at < 0) throw new InvalidOperationException("a message without <IDS|MSG>");
        string signature = Encoding.ASCII.GetString(all[at + 1]);
        string expected = Sign([all[at + 2], all[at + 3], all[at + 4], all[at + 5]]);
        if (signature != expected) throw new InvalidOperationException("the kernel's signature does not verify");
        return new Received(all.Take(at).ToList(), signature, Json(all[at + 2]), Json(all[at + 3]), Json(all[at + 5]));
    }

    public Received Receive(NetMQSocket socket) => TryReceive(socket, Timeout) ?? throw new TimeoutException("no message: " + Stderr);

    /// <summary>The reply on <paramref name="socket"/> to request <paramref name="id"/>.</summary>
    public Received ReplyTo(NetMQSocket socket, string id)
    {
        while (true)
        {
            var m = Receive(socket);
            if (m.ParentId == id) return m;
        }
    }

    /// <summary>Every iopub message of request <paramref name="id"/>, up to and including its status idle.</summary>
    public List<Received> IoPubOf(string id)
    {
        var found = _iopubBacklog.Where(m => m.ParentId == id).ToList();
        _iopubBacklog.RemoveAll(m => m.ParentId == id);
        if (found.Any(IsIdle)) return found;
        while (true)
        {
            var m = Receive(IoPub);
            if (m.ParentId != id) { _iopubBacklog.Add(m); continue; }
            found.Add(m);
            if (IsIdle(m)) return found;
        }
    }

    private static bool IsIdle(Received m) => m.Type == "status" && (string?)m.Content["execution_state"] == "idle";

    public void DrainIoPub(TimeSpan quiet)
    {
        while (TryReceive(IoPub, quiet) is { } m) _iopubBacklog.Add(m);
    }

    public (Received Reply, List<Received> IoPub) Execute(string code, JsonObject? options = null)
    {
        var content = new JsonObject { ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false, ["stop_on_error"] = true };
        foreach (var (k, v) in options ?? new JsonObject()) content[k] = v?.DeepClone();
        string id = Send(Shell, "execute_request", content);
        var reply = ReplyTo(Shell, id);
        return (reply, IoPubOf(id));
    }

    public static List<Received> Outputs(List<Received> iopub) => iopub.Where(m => m.Type is not ("status" or "execute_input")).ToList();

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Send(Control, "shutdown_request", new JsonObject { ["restart"] = false });
                if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException) { }
        foreach (var s in new NetMQSocket[] { Shell, Stdin, Control, IoPub, Heartbeat })
        {
            s.Options.Linger = TimeSpan.Zero;
            s.Dispose();
        }
        _process.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static JsonObject Json(byte[] bytes) => JsonNode.Parse(bytes)!.AsObject();

    private static int[] FreePorts(int n)
    {
        var listeners = Enumerable.Range(0, n).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }
}
