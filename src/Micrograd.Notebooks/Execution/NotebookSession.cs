using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Micrograd.Notebooks.Dib;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Micrograd.Notebooks.Execution;

/// <summary>How a session runs cells.</summary>
internal sealed record SessionOptions
{
    /// <summary>A cell still running after this long is stopped and reported.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// One notebook's kernel: open a .dib file, run its cells (one at a time, in any order, again and
/// again), get their outputs. C# cells run as Roslyn script submissions chained through one script
/// state, with the C# kernel's default usings, display(), the trailing expression shown and the
/// console captured; the working directory is the notebook's folder, as in the kernel.
/// </summary>
internal sealed class NotebookSession
{
    /// <summary>The C# kernel's default usings, and nothing more.</summary>
    public static readonly string[] DefaultUsings =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
        "Microsoft.DotNet.Interactive.Kernel",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(LoadFrameworkReferences);

    private readonly OutputSink _sink = new();
    private readonly SessionOptions _options;
    private readonly ScriptOptions _scriptOptions;
    private ScriptState<object>? _state;
    private string? _broken;

    public NotebookSession(DibDocument document, SessionOptions? options = null)
    {
        Document = document;
        _options = options ?? new SessionOptions();
        Cells = document.Cells.Where(c => c.Kernel != "meta").ToArray();
        Name = Path.GetFileName(document.Path);
        Folder = Path.GetDirectoryName(Path.GetFullPath(document.Path)) ?? ".";
        _scriptOptions = ScriptOptions.Default
            .WithReferences(FrameworkReferences.Value.Add(MetadataReference.CreateFromFile(typeof(Microsoft.DotNet.Interactive.Kernel).Assembly.Location)))
            .WithImports(DefaultUsings)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(Folder))
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, Folder))
            .WithEmitDebugInformation(true)
            .WithOptimizationLevel(OptimizationLevel.Release);
    }

    public static NotebookSession Open(string path, SessionOptions? options = null) => new(DibFormat.Read(path), options);

    public DibDocument Document { get; }

    /// <summary>The notebook's cells as a reader sees them (the #!meta cell left out), numbered from 1.</summary>
    public IReadOnlyList<DibCell> Cells { get; }

    public string Name { get; }
    public string Folder { get; }

    /// <summary>Runs every cell in order.</summary>
    public async Task<IReadOnlyList<CellResult>> RunAllAsync(Action<CellResult>? progress = null)
    {
        var results = new List<CellResult>();
        for (int n = 1; n <= Cells.Count; n++)
        {
            var result = await RunCellAsync(n);
            results.Add(result);
            progress?.Invoke(result);
        }
        return results;
    }

    /// <summary>Runs cell <paramref name="number"/> (1-based) and returns what it produced.</summary>
    public async Task<CellResult> RunCellAsync(int number)
    {
        var cell = Cells[number - 1];
        var outputs = _sink.BeginCell(number);
        if (cell.Kernel == "markdown")
            return new CellResult(number, cell.Kernel, cell.Source, CellStatus.Ran, outputs, TimeSpan.Zero);
        if (cell.Kernel != "csharp")
            return new CellResult(number, cell.Kernel, cell.Source, CellStatus.Skipped, outputs, TimeSpan.Zero)
            { Note = $"skipped: this runner has no '{cell.Kernel}' kernel" };
        if (_broken is not null)
            return new CellResult(number, cell.Kernel, cell.Source, CellStatus.NotRun, outputs, TimeSpan.Zero) { Note = _broken };

        var clock = Stopwatch.StartNew();
        string? problem = CheckDirectives(cell.Source, number);
        if (problem is not null)
        {
            _sink.Add(new ErrorOutput("NotSupported", problem));
            return new CellResult(number, cell.Kernel, cell.Source, CellStatus.Failed, outputs, clock.Elapsed);
        }

        var console = _sink.Console;
        var (stdout, stderr, directory) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        string cellPath = Path.Combine(Folder, $"{Name}.cell{number}.csx");
        var options = _scriptOptions.WithFilePath(cellPath);
        try
        {
            Console.SetOut(console);
            Console.SetError(console);
            Environment.CurrentDirectory = Folder;
            var previous = _state;
            var run = Task.Run(async () =>
            {
                Microsoft.DotNet.Interactive.Kernel.Sink = _sink;
                // From a UTF-8 stream, so the source has an encoding and debug information (the
                // line numbers of exceptions) can be emitted.
                using var code = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(cell.Source));
                return previous is null
                    ? await CSharpScript.Create(code, options).RunAsync()
                    : await previous.Script.ContinueWith(code, options).RunFromAsync(previous);
            });
            if (await Task.WhenAny(run, Task.Delay(_options.CellTimeout)) != run)
            {
                _broken = $"not run: cell {number} timed out, so the notebook's state is unknown";
                _sink.Add(new ErrorOutput("Timeout", $"{Name}:cell {number}: stopped after {_options.CellTimeout.TotalSeconds:0.#} s (the time limit for a cell)"));
                return new CellResult(number, cell.Kernel, cell.Source, CellStatus.Failed, outputs, clock.Elapsed);
            }
            _state = await run;
            _sink.FlushConsole();
            if (_state.ReturnValue is { } value) _sink.Display(value);
            return new CellResult(number, cell.Kernel, cell.Source, CellStatus.Ran, outputs, clock.Elapsed);
        }
        catch (CompilationErrorException e)
        {
            _sink.FlushConsole();
            foreach (var d in e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5))
                _sink.Add(new ErrorOutput("CompilationError",
                    $"{Name}:cell {number}:line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
            return new CellResult(number, cell.Kernel, cell.Source, CellStatus.Failed, outputs, clock.Elapsed);
        }
        catch (Exception e)
        {
            _sink.FlushConsole();
            var thrown = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : e;
            int? line = new StackTrace(thrown, true).GetFrames()
                .Where(f => string.Equals(f.GetFileName(), cellPath, StringComparison.Ordinal))
                .Select(f => (int?)f.GetFileLineNumber()).FirstOrDefault();
            _sink.Add(new ErrorOutput(thrown.GetType().Name,
                $"{Name}:cell {number}:line {(line is > 0 ? line.ToString() : "?")}: {thrown.GetType().Name}: {thrown.Message}"));
            return new CellResult(number, cell.Kernel, cell.Source, CellStatus.Failed, outputs, clock.Elapsed);
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            Environment.CurrentDirectory = directory;
        }
    }


    /// <summary>What the C# kernel would do but this offline runner cannot: said clearly, with the line.</summary>
    private string? CheckDirectives(string source, int number)
    {
        var lines = source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith("#r \"nuget:", StringComparison.OrdinalIgnoreCase))
                return $"{Name}:cell {number}:line {i + 1}: {line} needs NuGet, and this runner is offline; reference a local .dll instead (#r \"path/to/library.dll\")";
            if (line.StartsWith("#!", StringComparison.Ordinal))
                return $"{Name}:cell {number}:line {i + 1}: the magic command {line.Split(' ')[0]} is not supported by this runner";
        }
        return null;
    }

    /// <summary>The framework's own assemblies, as the kernel references them.</summary>
    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Directory.GetFiles(runtimeDir, "*.dll")
            .Where(f => Path.GetFileName(f) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n is "netstandard.dll" or "mscorlib.dll" or "Microsoft.CSharp.dll"))
            .Where(IsManaged)
            .Order(StringComparer.Ordinal)
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToImmutableArray();
    }

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
