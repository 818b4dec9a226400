using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using NetMQ;

namespace Micrograd.Kernel.Tests;

/// <summary>Tests that forge, interrupt or end a kernel: each has its own.</summary>
public sealed class LifecycleTests
{
    private static JsonObject Request(string code) => new()
    {
        ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false, ["stop_on_error"] = false,
    };

    /// <summary>Runs <paramref name="code"/>, interrupts it a second later, and returns its reply and how long that took.</summary>
    private static (Received Reply, TimeSpan Took) Interrupted(KernelClient k, string code)
    {
        string id = k.Send(k.Shell, "execute_request", Request(code));
        Thread.Sleep(1000);
        var clock = Stopwatch.StartNew();
        k.Send(k.Control, "interrupt_request", new JsonObject());
        var reply = k.ReplyTo(k.Shell, id);
        return (reply, clock.Elapsed);
    }

    [Fact]
    public void Forged_and_unsigned_messages_are_dropped_logged_and_never_executed()
    {
        using var k = new KernelClient();
        k.WaitForReady();
        string marker = Path.Combine(k.Folder, "forged.txt");
        string code = $"System.IO.File.WriteAllText(@\"{marker}\", \"ran\");";

        string wrongKey = k.Send(k.Shell, "execute_request", Request(code), signature: new string('0', 64));
        string unsigned = k.Send(k.Shell, "execute_request", Request(code), signature: "");
        var (check, iopub) = k.Execute($"System.IO.File.Exists(@\"{marker}\")");

        Assert.Equal("False", (string?)KernelClient.Outputs(iopub).Single().Content["data"]!["text/plain"]);
        Assert.False(File.Exists(marker));
        Assert.Null(k.TryReceive(k.Shell, TimeSpan.FromMilliseconds(300))); // no reply to either forged request
        Thread.Sleep(200);
        Assert.Contains("dropped a message on shell: the signature does not match", k.Stderr);
        Assert.Contains("dropped a message on shell: the message is not signed", k.Stderr);
        Assert.DoesNotContain("   at ", k.Stderr); // one line each, no stack trace
        _ = (wrongKey, unsigned, check);
    }

    [Fact]
    public void A_replayed_message_is_dropped()
    {
        using var k = new KernelClient();
        k.WaitForReady();
        var header = new JsonObject { ["msg_id"] = "replay-1", ["session"] = "s", ["username"] = "u", ["date"] = DateTime.UtcNow.ToString("o"), ["msg_type"] = "execute_request", ["version"] = "5.3" };
        byte[][] parts = [System.Text.Encoding.UTF8.GetBytes(header.ToJsonString()), "{}"u8.ToArray(), "{}"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes(Request("Console.WriteLine(\"once\");").ToJsonString())];
        for (int i = 0; i < 2; i++)
        {
            var m = new NetMQ.NetMQMessage();
            m.Append("<IDS|MSG>");
            m.Append(k.Sign(parts));
            foreach (var p in parts) m.Append(p);
            k.Shell.SendMultipartMessage(m);
        }
        Assert.Equal("replay-1", k.Receive(k.Shell).ParentId);
        Assert.Null(k.TryReceive(k.Shell, TimeSpan.FromSeconds(1)));
        Assert.Contains("seen before", k.Stderr);
    }

    [Fact]
    public void Interrupt_stops_a_waiting_cell_and_keeps_the_state()
    {
        using var k = new KernelClient();
        k.WaitForReady();
        k.Execute("var kept = 41;");
        string id = k.Send(k.Shell, "execute_request", Request("System.Threading.Thread.Sleep(60_000);"));
        Thread.Sleep(1000);
        var clock = Stopwatch.StartNew();
        string interrupt = k.Send(k.Control, "interrupt_request", new JsonObject());
        Assert.Equal("interrupt_reply", k.ReplyTo(k.Control, interrupt).Type);
        var reply = k.ReplyTo(k.Shell, id);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Equal("error", (string?)reply.Content["status"]);
        Assert.Equal("Interrupted", (string?)reply.Content["ename"]);
        var (after, iopub) = k.Execute("kept + 1");
        Assert.Equal("42", (string?)KernelClient.Outputs(iopub).Single().Content["data"]!["text/plain"]);
    }

    [Fact]
    public void Interrupt_of_an_endless_loop_answers_within_seconds_and_the_kernel_goes_on()
    {
        using var k = new KernelClient();
        k.WaitForReady();
        k.Execute("var kept = 1;");
        var (reply, took) = Interrupted(k, "while (true) { }");
        Assert.True(took < TimeSpan.FromSeconds(4), $"took {took}");
        Assert.Equal("Interrupted", (string?)reply.Content["ename"]);
        var (_, iopub) = k.Execute("kept");
        Assert.Equal("1", (string?)KernelClient.Outputs(iopub).Single().Content["data"]!["text/plain"]);
    }

    [Fact]
    public void Interrupt_really_stops_an_endless_loop()
    {
        using var k = new KernelClient();
        k.WaitForReady();
        // A completion first: it waits for the editor's warm-up, which would otherwise use the CPU measured below.
        k.ReplyTo(k.Shell, k.Send(k.Shell, "complete_request", new JsonObject { ["code"] = "Math.", ["cursor_pos"] = 5 }));
        k.Execute("1"); // and a first cell, so that the loop's cell compiles quickly and is running when the interrupt comes
        string id = k.Send(k.Shell, "execute_request", Request("long spins = 0; while (true) { spins++; }"));
        Thread.Sleep(1000);
        k.Send(k.Control, "interrupt_request", new JsonObject());
        var reply = k.ReplyTo(k.Shell, id);
        Assert.Equal("the cell was interrupted", (string?)reply.Content["evalue"]);
        // A loop still running would use a whole core: 2,000 ms of CPU in 2 s. A kernel just started
        // also spends some CPU in the background for a few seconds (the JIT's second tier, the
        // editor's warm-up), so wait, then allow up to half a core.
        Thread.Sleep(2000);
        var cpu = k.Process.TotalProcessorTime;
        Thread.Sleep(2000);
        var used = k.Process.TotalProcessorTime - cpu;
        Assert.True(used < TimeSpan.FromMilliseconds(1000), $"the loop still burns a core: {used.TotalMilliseconds:0} ms of CPU in 2 s");
    }

    [Fact]
    public void A_cell_stuck_in_a_library_call_is_left_behind_and_the_next_cells_run_with_the_state_kept()
    {
        using var k = new KernelClient();
        k.WaitForReady();
        k.Execute("var kept = 1;");
        // Catastrophic backtracking: minutes inside the regular expression engine, where no check of ours runs.
        var (reply, took) = Interrupted(k, "System.Text.RegularExpressions.Regex.IsMatch(new string('a', 40) + \"!\", \"^(a+)+$\")");
        Assert.True(took < TimeSpan.FromSeconds(4), $"took {took}");
        Assert.Contains("its code did not stop", (string?)reply.Content["evalue"]);
        var (next, iopub) = k.Execute("kept + 1");
        Assert.Equal("ok", (string?)next.Content["status"]);
        Assert.Equal("2", (string?)KernelClient.Outputs(iopub).Single().Content["data"]!["text/plain"]);
        k.Execute("var later = kept + 2;");
        var (_, after) = k.Execute("later");
        Assert.Equal("3", (string?)KernelClient.Outputs(after).Single().Content["data"]!["text/plain"]);
        // And a loop of the learner's own is still stopped by the next interrupt.
        Assert.Equal("the cell was interrupted", (string?)Interrupted(k, "while (true) { }").Reply.Content["evalue"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Shutdown_replies_and_ends_the_process(bool restart)
    {
        using var k = new KernelClient();
        k.WaitForReady();
        string id = k.Send(k.Control, "shutdown_request", new JsonObject { ["restart"] = restart });
        var reply = k.ReplyTo(k.Control, id);
        Assert.Equal("shutdown_reply", reply.Type);
        Assert.Equal(restart, (bool)reply.Content["restart"]!);
        Assert.True(k.Process.WaitForExit(10_000), "the kernel did not exit");
        Assert.Equal(0, k.Process.ExitCode);
    }

    [Fact]
    public void Shutdown_ends_the_process_even_while_a_cell_loops()
    {
        using var k = new KernelClient();
        k.WaitForReady();
        k.Send(k.Shell, "execute_request", Request("while (true) { }"));
        Thread.Sleep(500);
        string id = k.Send(k.Control, "shutdown_request", new JsonObject { ["restart"] = false });
        k.ReplyTo(k.Control, id);
        Assert.True(k.Process.WaitForExit(10_000), "the kernel did not exit");
    }

    [Fact]
    public void Relative_r_is_resolved_against_the_kernels_working_directory()
    {
        using var k = new KernelClient();
        string engine = KernelClient.Engine;
        Directory.CreateDirectory(Path.Combine(k.Folder, "lib"));
        File.Copy(engine, Path.Combine(k.Folder, "lib", "Micrograd.dll"));
        k.WaitForReady();
        var (reply, iopub) = k.Execute("#r \"lib/Micrograd.dll\"\nnew Micrograd.Value(3).Data");
        Assert.Equal("ok", (string?)reply.Content["status"]);
        Assert.Equal("3", (string?)KernelClient.Outputs(iopub).Single().Content["data"]!["text/plain"]);
    }
}
