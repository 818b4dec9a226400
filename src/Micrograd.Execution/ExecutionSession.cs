using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Micrograd.Execution;

public enum ExecutionStatus { Ran, Failed }

/// <summary>What one cell's execution gave: its outputs in order (the trailing value last).</summary>
public sealed record CellExecution(ExecutionStatus Status, IReadOnlyList<Output> Outputs, TimeSpan Elapsed, int ExecutionCount);

/// <summary>
/// One live C# session, as the .NET Interactive C# kernel runs it: every cell is a Roslyn script
/// submission chained to the one before, so declarations carry over and a later cell may redefine
/// them. The core compiles a cell with <see cref="CSharpCompilation.CreateScriptCompilation"/>,
/// emits it, has the host load it, and starts the submission itself (no CSharpScript, which needs
/// files on disk). Cells run one at a time (but for one its host has left behind, see <see cref="Interrupt"/>).
/// </summary>
public sealed class ExecutionSession
{
    /// <summary>The C# kernel's default usings, and nothing more.</summary>
    public static readonly ImmutableArray<string> DefaultUsings =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
        "Microsoft.DotNet.Interactive.Kernel",
    ];

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);
    /// <summary>Errors that a missing reference gives: a type, namespace, name or member not found, or a type from an unreferenced assembly.</summary>
    private static readonly HashSet<string> MissingName = ["CS0246", "CS0234", "CS0103", "CS1061", "CS0012", "CS0117"];

    private static readonly EmitOptions EmitOptions = new(debugInformationFormat: DebugInformationFormat.PortablePdb);

    private readonly IExecutionHost _host;
    private readonly CSharpCompilationOptions _options;
    private readonly Dictionary<string, (CellScope Cell, int Index)> _displays = new();
    private CSharpCompilation? _previous;
    /// <summary>The references some compilation of the chain was given; later submissions inherit them.</summary>
    private readonly HashSet<MetadataReference> _chained = new();
    private bool _wholeFramework;
    private volatile CellScope? _running;
    private object?[] _states = new object?[16];
    private long _spent;
    private int _executions;

    public ExecutionSession(IExecutionHost host, ExecutionLimits? limits = null, IExecutionObserver? observer = null)
    {
        _host = host;
        Limits = limits ?? new ExecutionLimits();
        Observer = observer ?? new NoObserver();
        _options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            usings: DefaultUsings,
            optimizationLevel: OptimizationLevel.Release,
            allowUnsafe: true,
            concurrentBuild: !OperatingSystem.IsBrowser(), // a browser's runtime has one thread: waiting on another would fail
            metadataReferenceResolver: new ReferenceResolver(host),
            assemblyIdentityComparer: DesktopAssemblyIdentityComparer.Default);
    }

    public ExecutionLimits Limits { get; }
    public IExecutionObserver Observer { get; }

    /// <summary>How many cells this session has executed.</summary>
    public int ExecutionCount => _executions;

    /// <summary>The compilation of the last cell that ran (for completion and inspection over the session).</summary>
    public CSharpCompilation? Compilation => _previous;

    internal DisplayFormatter Formatter { get; } = new();
    internal object Gate { get; } = new();

    /// <summary>Compiles and runs one cell, and returns its outputs once it has finished.</summary>
    public async Task<CellExecution> ExecuteAsync(string code, CellInfo info)
    {
        int number = ++_executions;
        var cell = new CellScope(this, number, info);
        var clock = Stopwatch.StartNew();
        var status = ExecutionStatus.Failed;
        _running = cell; // from here on an interrupt counts, also one that comes while the cell compiles
        CSharpCompilation? started = null;
        try
        {
            var compilation = Compile(code, info, number, out var image, out var symbols, out var errors);
            if (compilation is null)
            {
                foreach (var e in errors) cell.Add(e);
            }
            else if (image is null)
            {
                Chain(compilation); // a cell of usings or #r only: nothing to run, but what it brings carries on
                status = ExecutionStatus.Ran;
            }
            else
            {
                started = compilation;
                object? value = await Run(cell, compilation, _host.Load(image, symbols!));
                Chain(compilation);
                if (value is not null) cell.Display(value, [], result: true); // the trailing expression (a submission without one returns null)
                status = ExecutionStatus.Ran;
            }
        }
        catch (Exception e)
        {
            var thrown = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            if (thrown is CellInterruptedException || (thrown is ThreadInterruptedException && cell.Interrupted))
                cell.Add(new ErrorOutput("Interrupted", $"{info.Name}:line {LineOf(thrown, info.FilePath)}: interrupted"));
            else
            {
                // As in the C# kernel (its catchException): a cell that threw while it ran still joins the
                // chain, so what it declared and assigned before the exception is there for later cells.
                if (started is not null) Chain(started);
                cell.Add(new ErrorOutput(thrown.GetType().Name, $"{info.Name}:line {LineOf(thrown, info.FilePath)}: {thrown.GetType().Name}: {thrown.Message}{(_host.Explain(thrown) is { } note ? $" ({note})" : "")}"));
            }
        }
        finally
        {
            if (_running == cell) _running = null;
            Interrupts.Clear(cell);
        }
        return new CellExecution(status, cell.Finish(), clock.Elapsed, number);
    }

    /// <summary>Whether a cell is running now.</summary>
    public bool IsRunning => _running is not null;

    /// <summary>
    /// Stops the running cell: its code throws at its next loop head, method entry or catch, and a
    /// Thread.Sleep, Join or wait on the thread it started on is woken (run each cell on a thread
    /// of its own for that). Everything defined before stays. Code stuck inside a library call
    /// that never returns cannot be stopped this way: a host may leave it behind and run the next
    /// cell, which goes on from the state before the stuck one (as it would after an error).
    /// </summary>
    public void Interrupt()
    {
        if (_running is not { } cell) return;
        cell.Interrupted = true;
        Interrupts.Request(cell);
        try
        {
            if (cell.Thread is { IsThreadPoolThread: false } thread && thread != Thread.CurrentThread) thread.Interrupt();
        }
        catch (PlatformNotSupportedException)
        {
            // No threads to wake (a browser's single-threaded runtime): the compiled checks still stop loops.
        }
    }

    /// <summary>A cell's outputs as they stand now, later updates included.</summary>
    internal IReadOnlyList<Output> Snapshot(CellScope cell) => cell.Snapshot();

    /// <summary>
    /// A cell that ran becomes the one the next cell follows. A cell left behind by its host
    /// (interrupted, its code stuck in a library call) that ends after later cells have run does
    /// not take the session back to the state before them.
    /// </summary>
    private void Chain(CSharpCompilation compilation)
    {
        if (!ReferenceEquals(_previous, compilation.ScriptCompilationInfo?.PreviousScriptCompilation)) return;
        _previous = compilation;
        _chained.UnionWith(compilation.ExternalReferences);
    }

    /// <summary>
    /// The first cell of the chain carries the kernel's default usings, and later cells inherit
    /// them, as in the C# kernel (which submits its usings first). Imports carry over between
    /// submissions, so giving every cell its own copy bound the same static class twice once a
    /// later cell compiled against a wider set of references: <c>display</c> became ambiguous.
    /// </summary>
    private CSharpCompilationOptions Options(int number) =>
        (_previous is null ? _options : _options.WithUsings(ImmutableArray<string>.Empty)).WithScriptClassName($"Submission#{number}");

    private CSharpCompilation? Compile(string code, CellInfo info, int number, out byte[]? image, out byte[]? symbols, out List<ErrorOutput> errors)
    {
        var written = OperatingSystem.IsBrowser()
            // Emit computes a named file's checksum on another thread and waits for it, which a browser's one
            // thread cannot: there the tree has no path, and a #line names the cell's file for the debug information.
            ? CSharpSyntaxTree.ParseText(SourceText.From($"#line 1 \"{info.FilePath.Replace("\"", "", StringComparison.Ordinal)}\"\n{code}", Encoding.UTF8), ParseOptions, "")
            : CSharpSyntaxTree.ParseText(SourceText.From(code, Encoding.UTF8), ParseOptions, info.FilePath);
        var tree = InterruptRewriter.Rewrite(written);
        // A submission inherits the references of the ones before it, so each reference is given to the
        // chain once: given to every cell again, Roslyn binds them again for each earlier cell too, and a
        // session's memory grows with the square of its cells (349 MB of heap for 1,000 small cells, where once gives 36 MB).
        CSharpCompilation Create() => CSharpCompilation.CreateScriptCompilation(
            $"cells{number}", tree, (_wholeFramework ? _host.AllReferences : _host.References).Where(r => !_chained.Contains(r)),
            Options(number), _previous); // returns object: the references' own, also where they are reference assemblies
        var compilation = Create();
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(pe, pdb, options: EmitOptions);
        if (!result.Success && !_wholeFramework && result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && MissingName.Contains(d.Id)))
        {
            // A name the everyday references lack: try the whole framework, and keep it if it helps.
            _wholeFramework = true;
            var wider = Create();
            pe.SetLength(0);
            pdb.SetLength(0);
            var second = wider.Emit(pe, pdb, options: EmitOptions);
            if (second.Success || !second.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) (compilation, result) = (wider, second); // a cell of usings emits nothing, without an error
            else _wholeFramework = false;
        }
        if (!result.Success && !ReferenceEquals(tree, written))
        {
            // The learner's own code, as written: its errors are the ones to report (and should the
            // checks ever be what fails to compile, the cell still runs, only uninterruptibly).
            tree = written;
            var plain = Create();
            pe.SetLength(0);
            pdb.SetLength(0);
            var asWritten = plain.Emit(pe, pdb, options: EmitOptions);
            (compilation, result) = (plain, asWritten);
        }
        errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)
            .Select(d => new ErrorOutput("CompilationError",
                $"{info.Name}:line {d.Location.GetMappedLineSpan().StartLinePosition.Line + 1}: error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}"))
            .ToList();
        if (!result.Success && errors.Count == 0 && ((CompilationUnitSyntax)tree.GetRoot()).Members.Count == 0)
        {
            // Only usings, #r or comments: nothing to emit (Roslyn then fails without a word), and
            // nothing to run, but the cell still joins the chain, so what it imports carries on.
            (image, symbols) = (null, null);
            return compilation;
        }
        if (!result.Success)
        {
            if (errors.Count == 0) errors.Add(new ErrorOutput("CompilationError", $"{info.Name}: the cell could not be compiled"));
            (image, symbols) = (null, null);
            return null;
        }
        (image, symbols) = (pe.ToArray(), pdb.ToArray());
        return compilation;
    }

    /// <summary>Starts the submission through its factory, with the cell as the ambient scope of its code.</summary>
    private async Task<object?> Run(CellScope cell, CSharpCompilation compilation, Assembly assembly)
    {
        var type = assembly.GetType(compilation.ScriptClass!.MetadataName, throwOnError: true)!;
        var factory = type.GetMethod("<Factory>", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"the submission {type.Name} has no factory");
        int needed = _executions + 2;
        if (_states.Length < needed) Array.Resize(ref _states, Math.Max(needed, _states.Length * 2));
        cell.Enter();
        cell.Thread = Thread.CurrentThread;
        if (cell.Interrupted) throw new CellInterruptedException(); // interrupted while it compiled
        return await (Task<object>)factory.Invoke(null, [_states])!;
    }

    internal bool Spend(long chars)
    {
        if (_spent + chars > Limits.SessionOutputChars) return false;
        _spent += chars;
        return true;
    }

    internal void Refund(long chars) => _spent = Math.Max(0, _spent - chars);

    internal void RegisterDisplay(string id, CellScope cell, int index) => _displays[id] = (cell, index);

    /// <summary>A display whose cell's output was cleared: updates to it find it (no error) and change nothing.</summary>
    internal void ForgetDisplay(string id)
    {
        if (_displays.TryGetValue(id, out var at)) _displays[id] = (at.Cell, -1);
    }

    internal bool TryGetDisplay(string id, out CellScope cell, out int index)
    {
        bool found = _displays.TryGetValue(id, out var at);
        (cell, index) = (at.Cell, at.Index);
        return found;
    }

    /// <summary>The cell's line an exception was thrown at, from the emitted debug information; "?" if unknown.</summary>
    private static string LineOf(Exception thrown, string cellFile) =>
        new StackTrace(thrown, true).GetFrames()
            .Where(f => string.Equals(f.GetFileName(), cellFile, StringComparison.Ordinal))
            .Select(f => f.GetFileLineNumber()).FirstOrDefault(l => l > 0) is int line and > 0 ? line.ToString(CultureInfo.InvariantCulture) : "?";

    private sealed class NoObserver : IExecutionObserver;

    /// <summary>#r through the host, as Roslyn's compiler asks for it.</summary>
    private sealed class ReferenceResolver(IExecutionHost host) : MetadataReferenceResolver
    {
        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
            host.ResolveReference(reference, baseFilePath) is PortableExecutableReference found ? [found] : [];

        public override bool Equals(object? other) => other is ReferenceResolver r && ReferenceEquals(r.Host, Host);
        public override int GetHashCode() => Host.GetHashCode();
        private IExecutionHost Host => host;
    }
}
