using System;
using System.Diagnostics;
using System.Threading;

namespace Micrograd.Execution;

/// <summary>A cell stopped by an interrupt (Jupyter's interrupt, the browser's Stop).</summary>
public sealed class CellInterruptedException() : OperationCanceledException("interrupted");

/// <summary>
/// The checks the core compiles into every cell (see <see cref="InterruptRewriter"/>): at each loop
/// head, goto target, method entry and catch. Cheap when nothing is pending: one volatile read, and
/// where a host polls (<see cref="Poll"/>), a counter.
/// </summary>
public static class Interrupts
{
    /// <summary>How often, at most, a running cell asks the host's <see cref="Poll"/>.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    private static readonly long PollTicks = (long)(PollInterval.TotalSeconds * Stopwatch.Frequency);
    private static readonly long MillisecondTicks = Stopwatch.Frequency / 1000;
    private const int MaxStride = 4096;

    /// <summary>The cell interrupted last, while it runs: null (the one read a check makes) when none is.</summary>
    private static volatile CellScope? _pending;
    private static Func<bool>? _poll;
    private static int _countdown, _stride = 1;
    private static long _lastClock, _lastPoll;

    /// <summary>
    /// For a host whose thread cannot hear an interrupt while a cell runs (the browser's worker,
    /// blocked by the cell): called from the cell's checks at most every <see cref="PollInterval"/>;
    /// true stops the running cell as <see cref="ExecutionSession.Interrupt"/> would. The host may do
    /// its own short work there too (sending output on). Null, the default, costs nothing.
    /// </summary>
    public static Func<bool>? Poll
    {
        get => _poll;
        set => _poll = value;
    }

    /// <summary>Called by cell code; throws if the cell running it has been interrupted.</summary>
    public static void Check()
    {
        if (_pending is not null && CellScope.Current is { Interrupted: true }) throw new CellInterruptedException();
        if (_poll is not null && --_countdown < 0) PollNow();
    }

    /// <summary>Called by cell code for expression bodies: <c>Go() ? body : throw Stopped()</c>.</summary>
    public static bool Go()
    {
        Check();
        return true;
    }

    /// <summary>Never reached (Go throws first); there for the compiler's types.</summary>
    public static Exception Stopped() => new CellInterruptedException();

    internal static void Request(CellScope cell) => _pending = cell;

    internal static void Clear(CellScope cell) => Interlocked.CompareExchange(ref _pending, null, cell);

    /// <summary>
    /// Reads the clock every so many checks, the stride adapting so that reads come about a
    /// millisecond apart whether a loop's body is tiny or long; asks the host once the interval has passed.
    /// </summary>
    private static void PollNow()
    {
        long now = Stopwatch.GetTimestamp();
        _stride = now - _lastClock < MillisecondTicks ? Math.Min(_stride * 2, MaxStride) : Math.Max(_stride / 2, 1);
        _countdown = _stride;
        _lastClock = now;
        if (now - _lastPoll < PollTicks) return;
        _lastPoll = now;
        if (_poll is { } poll && poll() && CellScope.Current is { } cell)
        {
            cell.Session.Interrupt();
            throw new CellInterruptedException();
        }
    }
}
