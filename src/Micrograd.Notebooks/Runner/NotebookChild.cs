using System;
using System.IO;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Notebooks.Runner;

/// <summary>
/// The notebook's side of <see cref="NotebookProcess"/>: the hidden <c>run-child</c> command. It
/// warms the compiler up while it waits, opens one notebook, runs the cells it is told to, and
/// reports each result on its own pipe. When the runner goes away (its pipe closes), it ends.
/// </summary>
internal static class NotebookChild
{
    public const string Command = "run-child";

    /// <summary>Runs until told to quit (exit 0) or until the runner's pipe closes (exit 1); it never returns.</summary>
    public static async Task<int> RunAsync(string commandsHandle, string eventsHandle)
    {
        // Ctrl+C in a terminal reaches every process of it; the runner decides what stops, and ends this one.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var commands = new AnonymousPipeClientStream(PipeDirection.In, commandsHandle);
        using var events = new AnonymousPipeClientStream(PipeDirection.Out, eventsHandle);
        KeepFromChildren(commands.SafePipeHandle);
        KeepFromChildren(events.SafePipeHandle);
        var reader = new StreamReader(commands, new UTF8Encoding(false));
        var writer = new StreamWriter(events, new UTF8Encoding(false));
        var gate = new object();
        void Send(string line)
        {
            lock (gate)
            {
                try
                {
                    writer.Write(line);
                    writer.Write('\n');
                    writer.Flush();
                }
                catch (IOException) { Environment.Exit(1); } // the runner is gone
            }
        }

        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            // An exception escaped a thread a cell started: the runtime ends the process after this.
            int origin = CellScope.Current?.Info.Tag is int n ? n : 0;
            string what = e.ExceptionObject is Exception x ? $"{x.GetType().Name}: {x.Message}" : $"{e.ExceptionObject}";
            Send(Protocol.Line("crashed", w => { w.WriteNumber("cell", origin); w.WriteString("message", what); }));
        };

        var warm = Task.Run(Warm);
        // Commands are read all the time, not only between cells: when the runner's pipe closes (it
        // was killed, say), this process ends at once, even in the middle of an endless cell.
        var inbox = System.Threading.Channels.Channel.CreateUnbounded<string>();
        _ = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync() is { } command) inbox.Writer.TryWrite(command);
            }
            catch (IOException) { }
            Environment.Exit(1); // the runner is gone, or did not need this process
        });
        NotebookSession? session = null;
        while (true)
        {
            string line = await inbox.Reader.ReadAsync();
            using var message = JsonDocument.Parse(line);
            var root = message.RootElement;
            switch (root.GetProperty("kind").GetString())
            {
                case "open":
                    await warm;
                    try
                    {
                        session = NotebookSession.Open(root.GetProperty("path").GetString()!, new SessionOptions { CellTimeout = Timeout.InfiniteTimeSpan });
                        session.Changed += r => Send(Protocol.Line("updated", w => Protocol.WriteResult(w, r)));
                        Send(Protocol.Line("opened", w => w.WriteNumber("cells", session.Cells.Count)));
                    }
                    catch (Exception e)
                    {
                        Send(Protocol.Line("error", w => w.WriteString("message", e.Message)));
                    }
                    break;
                case "run" when session is not null:
                    int number = root.GetProperty("cell").GetInt32();
                    Send(Protocol.Line("started", w => w.WriteNumber("cell", number)));
                    var result = await session.RunCellAsync(number);
                    Send(Protocol.Line("finished", w => Protocol.WriteResult(w, result)));
                    break;
                case "quit":
                    Send(Protocol.Line("done"));
                    Environment.Exit(0); // threads a cell left running do not keep the process
                    break;
                default:
                    Send(Protocol.Line("error", w => w.WriteString("message", $"unexpected command: {line}")));
                    break;
            }
        }
    }

    /// <summary>JITs the compiler, emitter and loader with a throwaway cell, while the runner still runs the notebook before.</summary>
    private static async Task Warm()
    {
        try
        {
            string folder = Path.GetTempPath();
            var session = new ExecutionSession(new DesktopHost(folder));
            await session.ExecuteAsync("var warm = new List<int> { 1 }.Sum();\nwarm", new CellInfo("warm-up", Path.Combine(folder, "warm-up.csx")));
        }
        catch (Exception) { } // only an optimisation
    }

    /// <summary>Processes a cell starts (dotnet build, say) must not hold the runner's pipes open, or a dead child would look alive.</summary>
    private static void KeepFromChildren(SafeHandle handle)
    {
        if (OperatingSystem.IsWindows()) return; // handles are not inherited unless asked for
        const int F_SETFD = 2, FD_CLOEXEC = 1;
        _ = Fcntl((int)handle.DangerousGetHandle(), F_SETFD, FD_CLOEXEC);
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);
}
