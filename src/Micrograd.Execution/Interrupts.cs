using System;
using System.Threading;

namespace Micrograd.Execution;

/// <summary>A cell stopped by an interrupt (Jupyter's interrupt, the browser's Stop).</summary>
public sealed class CellInterruptedException() : OperationCanceledException("interrupted");

/// <summary>
/// The checks the core compiles into every cell (see <see cref="InterruptRewriter"/>): at each loop
/// head, goto target, method entry and catch. Cheap when nothing is pending: one volatile read.
/// </summary>
public static class Interrupts
{
    /// <summary>The cell interrupted last, while it runs: null (the one read a check makes) when none is.</summary>
    private static volatile CellScope? _pending;

    /// <summary>Called by cell code; throws if the cell running it has been interrupted.</summary>
    public static void Check()
    {
        if (_pending is not null && CellScope.Current is { Interrupted: true }) throw new CellInterruptedException();
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
}
