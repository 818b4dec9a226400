using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using NetMQ;

namespace Micrograd.Kernel.Tests;

/// <summary>One kernel for the tests that do not end or break it.</summary>
public sealed class SharedKernel : IDisposable
{
    internal KernelClient Client { get; } = new();

    public SharedKernel()
    {
        try
        {
            Info = Client.WaitForReady();
        }
        catch
        {
            Client.Dispose(); // xunit does not dispose a fixture whose constructor threw
            throw;
        }
    }

    internal JsonObject Info { get; }

    public void Dispose() => Client.Dispose();
}

public sealed class ProtocolTests(SharedKernel shared) : IClassFixture<SharedKernel>
{
    private KernelClient K => shared.Client;

    [Fact]
    public void Kernel_info_names_the_language_and_protocol()
    {
        var info = shared.Info;
        Assert.Equal("ok", (string?)info["status"]);
        Assert.Equal("5.3", (string?)info["protocol_version"]);
        Assert.Equal("micrograd-csharp", (string?)info["implementation"]);
        var language = info["language_info"]!.AsObject();
        Assert.Equal("csharp", (string?)language["name"]);
        Assert.Equal("text/x-csharp", (string?)language["mimetype"]);
        Assert.Equal(".cs", (string?)language["file_extension"]);
        Assert.Equal("csharp", (string?)language["pygments_lexer"]);
        Assert.Equal("text/x-csharp", (string?)language["codemirror_mode"]);
        Assert.False(string.IsNullOrEmpty((string?)info["banner"]));
    }

    [Fact]
    public void Every_request_is_framed_by_busy_and_idle_with_itself_as_parent()
    {
        string id = K.Send(K.Shell, "kernel_info_request", new JsonObject());
        var reply = K.ReplyTo(K.Shell, id);
        Assert.Equal("kernel_info_reply", reply.Type);
        var iopub = K.IoPubOf(id);
        Assert.Equal(["busy", "idle"], iopub.Select(m => (string)m.Content["execution_state"]!).ToArray());
        Assert.All(iopub, m => Assert.Equal(id, m.ParentId));
    }

    [Fact]
    public void Routing_frames_before_the_delimiter_come_back_on_the_reply()
    {
        byte[][] routing = [Encoding.ASCII.GetBytes("hop-1"), Encoding.ASCII.GetBytes("hop-2")];
        string id = K.Send(K.Shell, "kernel_info_request", new JsonObject(), routing: routing);
        var reply = K.ReplyTo(K.Shell, id);
        Assert.Equal(["hop-1", "hop-2"], reply.Identities.Select(Encoding.ASCII.GetString).ToArray());
        K.IoPubOf(id);
    }

    [Fact]
    public void The_heartbeat_echoes()
    {
        K.Heartbeat.SendFrame("ping");
        Assert.True(K.Heartbeat.TryReceiveFrameString(TimeSpan.FromSeconds(10), out string? echo));
        Assert.Equal("ping", echo);
    }

    [Fact]
    public void Execute_sends_stream_display_update_and_result_as_they_happen()
    {
        var (reply, iopub) = K.Execute("""
            Console.WriteLine("step 1");
            var shown = display("first");
            shown.Update("second");
            Console.Error.WriteLine("careful");
            6 * 7
            """);
        Assert.Equal("ok", (string?)reply.Content["status"]);
        int count = (int)reply.Content["execution_count"]!;
        var types = iopub.Select(m => m.Type).ToArray();
        Assert.Equal(["status", "execute_input", "stream", "display_data", "update_display_data", "stream", "execute_result", "status"], types);
        Assert.Equal(count, (int)iopub[1].Content["execution_count"]!);
        Assert.Equal("step 1\n", (string?)iopub[2].Content["text"]);
        Assert.Equal("stdout", (string?)iopub[2].Content["name"]);
        string? displayId = (string?)iopub[3].Content["transient"]!["display_id"];
        Assert.False(string.IsNullOrEmpty(displayId));
        Assert.Equal("first", (string?)iopub[3].Content["data"]!["text/plain"]);
        Assert.Equal(displayId, (string?)iopub[4].Content["transient"]!["display_id"]);
        Assert.Equal("second", (string?)iopub[4].Content["data"]!["text/plain"]);
        Assert.Equal("stderr", (string?)iopub[5].Content["name"]);
        Assert.Equal("42", (string?)iopub[6].Content["data"]!["text/plain"]);
        Assert.Equal(count, (int)iopub[6].Content["execution_count"]!);
    }

    [Fact]
    public void State_carries_over_and_the_count_grows()
    {
        var (first, _) = K.Execute("var carried = 20;");
        var (second, iopub) = K.Execute("carried + 1");
        Assert.Equal((int)first.Content["execution_count"]! + 1, (int)second.Content["execution_count"]!);
        Assert.Equal("21", (string?)KernelClient.Outputs(iopub).Single().Content["data"]!["text/plain"]);
    }

    [Fact]
    public void Silent_runs_without_output_or_count()
    {
        var (before, _) = K.Execute("var one = 1;");
        var (reply, iopub) = K.Execute("Console.WriteLine(\"quiet\"); 5", new JsonObject { ["silent"] = true });
        Assert.Equal("ok", (string?)reply.Content["status"]);
        Assert.Empty(KernelClient.Outputs(iopub));
        Assert.DoesNotContain(iopub, m => m.Type == "execute_input");
        var (after, _) = K.Execute("var two = 2;");
        Assert.Equal((int)before.Content["execution_count"]! + 1, (int)after.Content["execution_count"]!);
    }

    [Fact]
    public void A_compile_error_is_one_error_naming_the_line()
    {
        var (reply, iopub) = K.Execute("var ok = 1;\nundefinedName");
        Assert.Equal("error", (string?)reply.Content["status"]);
        var error = Assert.Single(KernelClient.Outputs(iopub));
        Assert.Equal("error", error.Type);
        Assert.Equal("CompilationError", (string?)error.Content["ename"]);
        string traceback = string.Join("\n", error.Content["traceback"]!.AsArray().Select(t => (string?)t));
        Assert.Contains("line 2", traceback);
        Assert.Contains("CS0103", traceback);
    }

    [Fact]
    public void An_exception_is_one_error_naming_the_line()
    {
        var (reply, iopub) = K.Execute("Console.WriteLine(\"before\");\nthrow new InvalidOperationException(\"boom\");");
        Assert.Equal("error", (string?)reply.Content["status"]);
        Assert.Equal("InvalidOperationException", (string?)reply.Content["ename"]);
        var outputs = KernelClient.Outputs(iopub);
        Assert.Equal(["stream", "error"], outputs.Select(m => m.Type).ToArray());
        Assert.Contains("line 2", (string?)outputs[1].Content["evalue"]);
        Assert.Contains("boom", (string?)outputs[1].Content["evalue"]);
    }

    [Fact]
    public void Text_over_the_cells_limit_ends_with_the_truncation_note_as_a_stream()
    {
        var (reply, iopub) = K.Execute("Console.WriteLine(new string('x', 600_000));\nConsole.WriteLine(new string('y', 600_000));");
        Assert.Equal("ok", (string?)reply.Content["status"]);
        var streams = KernelClient.Outputs(iopub).Where(m => m.Type == "stream").ToArray();
        Assert.Equal(600_001, streams.Where(m => (string?)m.Content["name"] == "stdout").Sum(m => ((string?)m.Content["text"])!.Length));
        Assert.Equal("stderr", (string?)streams[^1].Content["name"]);
        Assert.Equal("output truncated: 1 more lines (600,001 characters) not shown\n", (string?)streams[^1].Content["text"]);
    }

    [Fact]
    public void After_an_error_queued_cells_are_aborted_when_stop_on_error()
    {
        var content = (string code) => new JsonObject { ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false, ["stop_on_error"] = true };
        string failing = K.Send(K.Shell, "execute_request", content("System.Threading.Thread.Sleep(300); throw new Exception(\"stop\");"));
        string queued1 = K.Send(K.Shell, "execute_request", content("Console.WriteLine(\"must not run\");"));
        string queued2 = K.Send(K.Shell, "execute_request", content("Console.WriteLine(\"nor this\");"));
        Assert.Equal("error", (string?)K.ReplyTo(K.Shell, failing).Content["status"]);
        Assert.Equal("aborted", (string?)K.ReplyTo(K.Shell, queued1).Content["status"]);
        Assert.Equal("aborted", (string?)K.ReplyTo(K.Shell, queued2).Content["status"]);
        Assert.Empty(KernelClient.Outputs(K.IoPubOf(queued1)));
        K.IoPubOf(failing);
        K.IoPubOf(queued2);
        var (later, _) = K.Execute("var one = 1;");
        Assert.True("ok" == (string?)later.Content["status"], later.Content.ToJsonString());
    }

    [Fact]
    public void Live_updates_are_throttled_and_the_last_is_sent()
    {
        var clock = Stopwatch.StartNew();
        var (reply, iopub) = K.Execute("var live = display(0);\nfor (int i = 1; i <= 2000; i++) { live.Update(i); if (i % 100 == 0) System.Threading.Thread.Sleep(20); }");
        double seconds = clock.Elapsed.TotalSeconds;
        Assert.Equal("ok", (string?)reply.Content["status"]);
        var updates = iopub.Where(m => m.Type == "update_display_data").ToList();
        Assert.InRange(updates.Count, 2, (int)(seconds * 10) + 3);
        Assert.Equal("2000", (string?)updates[^1].Content["data"]!["text/plain"]);
    }

    [Fact]
    public void Html_outputs_keep_text_plain_beside()
    {
        var (_, iopub) = K.Execute("display(\"<b>x</b>\", \"text/html\");");
        var data = KernelClient.Outputs(iopub).Single().Content["data"]!.AsObject();
        Assert.Equal("text/html", data.First().Key);
        Assert.True(data.ContainsKey("text/plain"));
    }

    [Fact]
    public void Completion_offers_framework_members_and_the_learners_own_names()
    {
        K.Execute("double learningRate = 0.05;\nint Square(int x) => x * x;");
        var console = Complete("Console.Wr");
        Assert.Contains("WriteLine", Matches(console));
        Assert.Equal(8, (int)console["cursor_start"]!);
        Assert.Equal(10, (int)console["cursor_end"]!);
        Assert.Contains("Sqrt", Matches(Complete("Math.Sq")));
        Assert.Contains("learningRate", Matches(Complete("var y = learn")));
        Assert.Contains("Square", Matches(Complete("Squ")));
    }

    [Fact]
    public void Completion_and_inspection_know_the_engine_after_its_r()
    {
        Assert.True(File.Exists(KernelClient.Engine), "build the engine first: " + KernelClient.Engine);
        var (reply, _) = K.Execute($"#r \"{KernelClient.Engine}\"\nusing Micrograd;\nvar node = new Value(2.0);");
        Assert.Equal("ok", (string?)reply.Content["status"]);
        Assert.Contains("Backward", Matches(Complete("node.Back")));
        Assert.Contains("Tanh", Matches(Complete("new Value(1).Ta")));
        string id = K.Send(K.Shell, "inspect_request", new JsonObject { ["code"] = "node.Backward()", ["cursor_pos"] = 8, ["detail_level"] = 0 });
        var inspect = K.ReplyTo(K.Shell, id).Content;
        K.IoPubOf(id);
        Assert.True((bool)inspect["found"]!);
        string text = (string)inspect["data"]!["text/plain"]!;
        Assert.Contains("Value.Backward()", text);
        Assert.Contains("chain rule", text);
    }

    [Theory]
    [InlineData("var x = 1;", "complete")]
    [InlineData("1 + 1", "complete")]
    [InlineData("if (true) {", "incomplete")]
    [InlineData("for (int i = 0; i < 3; i++)", "incomplete")]
    [InlineData("var x = ;", "invalid")]
    [InlineData("}", "invalid")]
    public void Is_complete_follows_the_parser(string code, string status)
    {
        string id = K.Send(K.Shell, "is_complete_request", new JsonObject { ["code"] = code });
        var reply = K.ReplyTo(K.Shell, id).Content;
        K.IoPubOf(id);
        Assert.Equal(status, (string?)reply["status"]);
        if (status == "incomplete") Assert.NotNull((string?)reply["indent"]);
    }

    [Fact]
    public void Is_complete_indents_inside_a_block()
    {
        string id = K.Send(K.Shell, "is_complete_request", new JsonObject { ["code"] = "void F() {\n  if (true) {" });
        var reply = K.ReplyTo(K.Shell, id).Content;
        K.IoPubOf(id);
        Assert.Equal("        ", (string?)reply["indent"]);
    }

    [Fact]
    public void ReadLine_asks_the_front_end_when_stdin_is_allowed_and_gets_null_otherwise()
    {
        var content = new JsonObject { ["code"] = "var name = Console.ReadLine(); $\"hello {name}\"", ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = true, ["stop_on_error"] = true };
        string id = K.Send(K.Shell, "execute_request", content);
        var request = K.Receive(K.Stdin);
        Assert.Equal("input_request", request.Type);
        Assert.Equal(id, request.ParentId);
        K.Send(K.Stdin, "input_reply", new JsonObject { ["value"] = "Ada" });
        Assert.Equal("ok", (string?)K.ReplyTo(K.Shell, id).Content["status"]);
        Assert.Equal("hello Ada", (string?)KernelClient.Outputs(K.IoPubOf(id)).Last().Content["data"]!["text/plain"]);

        var clock = Stopwatch.StartNew();
        var (reply, iopub) = K.Execute("Console.ReadLine() is null");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal("True", (string?)KernelClient.Outputs(iopub).Single().Content["data"]!["text/plain"]);
    }

    [Fact]
    public void History_and_comm_info_answer()
    {
        K.Execute("var remembered = 1;");
        string id = K.Send(K.Shell, "history_request", new JsonObject { ["hist_access_type"] = "tail", ["n"] = 1, ["output"] = false, ["raw"] = true });
        var history = K.ReplyTo(K.Shell, id).Content["history"]!.AsArray();
        K.IoPubOf(id);
        Assert.Equal("var remembered = 1;", (string?)history.Single()![2]);
        id = K.Send(K.Shell, "comm_info_request", new JsonObject());
        Assert.Equal("ok", (string?)K.ReplyTo(K.Shell, id).Content["status"]);
        K.IoPubOf(id);
    }

    [Fact]
    public void A_help_request_pages_what_inspection_shows()
    {
        K.Execute("/// <summary>Squares a number.</summary>\nint Squared(int x) => x * x;");
        foreach (var (cell, topic) in new[] { ("Math.Sqrt?", "Math.Sqrt"), ("?Math.Sqrt", "Math.Sqrt"), ("  Squared? ", "Squared") })
        {
            var (reply, iopub) = K.Execute(cell);
            Assert.Equal("ok", (string?)reply.Content["status"]);
            var page = Assert.Single(reply.Content["payload"]!.AsArray())!;
            Assert.Equal("page", (string?)page["source"]);
            Assert.Equal(Inspect(topic), (string?)page["data"]!["text/plain"]);
            Assert.Empty(KernelClient.Outputs(iopub));
        }
        Assert.Contains("int Squared(int x)", Inspect("Squared"));
        Assert.Contains("Squares a number.", Inspect("Squared"));
        Assert.Contains("Math.Sqrt(double d)", Inspect("Math.Sqrt"));

        var (none, output) = K.Execute("noSuchThing?");
        Assert.Equal("ok", (string?)none.Content["status"]);
        Assert.Empty(none.Content["payload"]!.AsArray());
        Assert.Equal("no help found for 'noSuchThing'\n", (string?)KernelClient.Outputs(output).Single().Content["text"]);
    }

    [Theory]
    [InlineData("x ? 1 : 2")]
    [InlineData("int? maybe = null;")]
    [InlineData("var a = 1;\na?")]
    public void Code_with_a_question_mark_is_not_a_help_request(string code) => Assert.Null(Micrograd.Notebooks.Jupyter.KernelServer.HelpTopic(code));

    [Fact]
    public void ClearOutput_sends_clear_output_between_the_outputs()
    {
        var (reply, iopub) = K.Execute("Console.WriteLine(\"before\");\nClearOutput();\nConsole.WriteLine(\"after\");\nClearOutput(wait: true);\n1");
        Assert.Equal("ok", (string?)reply.Content["status"]);
        var outputs = KernelClient.Outputs(iopub);
        Assert.Equal(["stream", "clear_output", "stream", "clear_output", "execute_result"], outputs.Select(m => m.Type));
        Assert.Equal("before\n", (string?)outputs[0].Content["text"]);
        Assert.False((bool)outputs[1].Content["wait"]!);
        Assert.Equal("after\n", (string?)outputs[2].Content["text"]);
        Assert.True((bool)outputs[3].Content["wait"]!);
    }

    [Fact]
    public void Completion_sees_the_latest_declaration_of_a_name()
    {
        K.Execute("var renamed = 1;\nclass Shape { public int Corners; }");
        K.Execute("Console.WriteLine(renamed);");
        K.Execute("var renamed = \"now a string\";\nclass Shape { public double Radius; }\nvar (left, right) = (1, \"two\");");
        Assert.Contains("Length", Matches(Complete("renamed.Len")));
        Assert.Contains("Radius", Matches(Complete("new Shape().Ra")));
        Assert.DoesNotContain("Corners", Matches(Complete("new Shape().Co")));
        Assert.Contains("Length", Matches(Complete("right.Len")));
    }

    private string Inspect(string code)
    {
        string id = K.Send(K.Shell, "inspect_request", new JsonObject { ["code"] = code, ["cursor_pos"] = code.Length, ["detail_level"] = 0 });
        var reply = K.ReplyTo(K.Shell, id).Content;
        K.IoPubOf(id);
        return (string)reply["data"]!["text/plain"]!;
    }

    private JsonObject Complete(string code)
    {
        string id = K.Send(K.Shell, "complete_request", new JsonObject { ["code"] = code, ["cursor_pos"] = code.Length });
        var reply = K.ReplyTo(K.Shell, id).Content;
        K.IoPubOf(id);
        return reply;
    }

    private static List<string> Matches(JsonObject reply) => reply["matches"]!.AsArray().Select(m => (string)m!).ToList();
}
