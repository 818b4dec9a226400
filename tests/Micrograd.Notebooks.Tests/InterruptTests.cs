using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Notebooks.Tests;

/// <summary>Interrupting a running cell (Jupyter's interrupt): it stops, says so, and the session goes on.</summary>
public sealed class InterruptTests
{
    private static readonly string Folder = Path.GetTempPath();
    private readonly ExecutionSession _session;
    private int _cells;

    private readonly Started _started = new();

    public InterruptTests()
    {
        ConsoleRouter.Install();
        _session = new ExecutionSession(new DesktopHost(Folder), observer: _started);
    }

    /// <summary>Hears the cell's first write: its code is running (compiling can take a while on a busy machine).</summary>
    private sealed class Started : IExecutionObserver
    {
        public TaskCompletionSource Signal { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Streamed(CellInfo cell, string stream, string text) => Signal.TrySetResult();
    }

    private Task<CellExecution> Start(string code)
    {
        var info = new CellInfo($"i:cell {++_cells}", Path.Combine(Folder, $"i.cell{_cells}.csx"));
        return Task.Factory.StartNew(() => _session.ExecuteAsync(code, info), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    private async Task<CellExecution> Interrupted(string code)
    {
        _started.Signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Start("Console.Write(\"started\"); " + code); // on the first line: the lines stay as written
        Assert.True(await Task.WhenAny(_started.Signal.Task, Task.Delay(TimeSpan.FromSeconds(60))) == _started.Signal.Task, "the cell did not start");
        await Task.Delay(200);
        Assert.False(run.IsCompleted, "the cell should still be running");
        _session.Interrupt();
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.True(finished == run, "the cell did not stop within 5 s of the interrupt");
        return await run;
    }

    private static string Error(CellExecution r) => r.Outputs.OfType<ErrorOutput>().Single().Message;

    [Theory]
    [InlineData("var spins = 0L;\nwhile (true) { spins++; }", 2)]
    [InlineData("var spins = 0L;\nfor (;;)\n    spins++;", 3)]
    [InlineData("var spins = 0L;\nagain: spins++;\ngoto again;", 2)]
    [InlineData("var spins = 0L;\nwhile (true) { try { spins++; throw new Exception(); } catch (Exception) { } }", 2)]
    [InlineData("var spins = 0L;\nvoid Spin() { spins++; Spin2(); }\nvoid Spin2() { while (true) spins++; }\nSpin();", 3)]
    [InlineData("System.Threading.Thread.Sleep(60_000);", 1)]
    public async Task An_interrupted_cell_stops_says_where_and_the_state_before_it_stays(string code, int line)
    {
        Assert.Equal(ExecutionStatus.Ran, (await Start("var kept = 41;")).Status);
        var r = await Interrupted(code);
        Assert.Equal(ExecutionStatus.Failed, r.Status);
        Assert.Equal($"i:cell 2:line {line}: interrupted", Error(r));
        var after = await Start("kept + 1");
        Assert.Equal("42", after.Outputs.OfType<DisplayOutput>().Single().Content);
    }

    [Fact]
    public async Task The_checks_leave_line_numbers_and_results_as_written()
    {
        var r = await Start("int Twice(int x) => 2 * x;\nvoid Say(string s) => Console.WriteLine(s);\nvar f = (int n) => { return n + 1; };\nSay(\"hi\");\nfor (int i = 0; i < 3; i++) Console.Write(i);\nthrow new InvalidOperationException(Twice(f(1)).ToString());");
        Assert.Equal("hi\n012", string.Concat(r.Outputs.OfType<StreamOutput>().Select(s => s.Text)));
        Assert.Equal("i:cell 1:line 6: InvalidOperationException: 4", Error(r));
    }

    [Fact]
    public async Task A_hosts_poll_stops_a_loop_no_more_often_than_its_interval_and_the_state_stays()
    {
        // The browser's way: nothing calls Interrupt; the cell's own checks ask the host.
        Assert.Equal(ExecutionStatus.Ran, (await Start("var kept = 41;")).Status);
        int polls = 0;
        var stop = new ManualResetEventSlim();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Interrupts.Poll = () =>
        {
            if (!ReferenceEquals(CellScope.Current?.Session, _session)) return false; // other tests' cells
            polls++;
            return stop.IsSet;
        };
        try
        {
            _started.Signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = Start("Console.Write(\"started\"); var spins = 0L;\nwhile (true) { spins++; }");
            Assert.True(await Task.WhenAny(_started.Signal.Task, Task.Delay(TimeSpan.FromSeconds(60))) == _started.Signal.Task, "the cell did not start");
            await Task.Delay(500);
            Assert.False(run.IsCompleted, "the cell should still be running");
            stop.Set();
            Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5))) == run, "the cell did not stop within 5 s of the poll saying so");
            var r = await run;
            int most = (int)(clock.Elapsed / Interrupts.PollInterval) + 1;
            Assert.InRange(polls, 2, most);
            Assert.Equal("i:cell 2:line 2: interrupted", Error(r));
        }
        finally
        {
            Interrupts.Poll = null;
        }
        var after = await Start("kept + 1");
        Assert.Equal("42", after.Outputs.OfType<DisplayOutput>().Single().Content);
    }

    [Fact]
    public async Task Compile_errors_are_reported_against_the_code_as_written()
    {
        var r = await Start("while (true) {\n  int x = \"no\";\n}");
        Assert.Equal("i:cell 1:line 2: error CS0029: Cannot implicitly convert type 'string' to 'int'", Error(r));
    }
}
