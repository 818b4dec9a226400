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
    private static volatile ExecutionSession? _pending;

    /// <summary>Called by cell code; throws if the session running it has been interrupted.</summary>
    public static void Check()
    {
        var pending = _pending;
        if (pending is not null && CellScope.Current?.Session == pending) throw new CellInterruptedException();
    }

    /// <summary>Called by cell code for expression bodies: <c>Go() ? body : throw Stopped()</c>.</summary>
    public static bool Go()
    {
        Check();
        return true;
    }

    /// <summary>Never reached (Go throws first); there for the compiler's types.</summary>
    public static Exception Stopped() => new CellInterruptedException();

    internal static void Request(ExecutionSession session) => _pending = session;

    internal static void Clear(ExecutionSession session) => Interlocked.CompareExchange(ref _pending, null, session);
}
