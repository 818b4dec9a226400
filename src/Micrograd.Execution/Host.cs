using System;
using System.Collections.Generic;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Micrograd.Execution;

/// <summary>
/// What a front end gives the execution core: the assemblies cells compile against, how a
/// <c>#r</c> finds a library, and how an emitted cell is loaded. The desktop host reads the
/// framework from disk and loads into an AssemblyLoadContext; a browser host serves reference
/// assemblies as bytes from its own file system.
/// </summary>
public interface IExecutionHost
{
    /// <summary>The framework's assemblies and this core's (for <c>display</c>), as the C# kernel references them.</summary>
    IReadOnlyList<MetadataReference> References { get; }

    /// <summary>
    /// Everything a cell may use (the whole framework); a cell that does not compile against
    /// <see cref="References"/> for want of a name is compiled again against these, and the
    /// session keeps them from then on. Fewer references keep a long session small.
    /// </summary>
    IReadOnlyList<MetadataReference> AllReferences { get; }

    /// <summary>Resolves <c>#r "path"</c> written in a cell whose file is <paramref name="cellFile"/>; null if there is no such library.</summary>
    MetadataReference? ResolveReference(string reference, string? cellFile);

    /// <summary>Loads an emitted cell with its debug information (for the line numbers of exceptions).</summary>
    Assembly Load(byte[] image, byte[] symbols);

    /// <summary>A note added to the message of an exception the host's platform causes (the browser: no processes); null for none.</summary>
    string? Explain(Exception thrown) => null;
}

/// <summary>A cell as the host names it: "t.dib:cell 2" in messages, and the file its lines are reported against.</summary>
public sealed record CellInfo(string Name, string FilePath)
{
    /// <summary>Anything the host wants back in observer calls (its own cell number, a Jupyter parent header).</summary>
    public object? Tag { get; init; }
}

/// <summary>Hears about outputs as they happen (a Jupyter kernel sends them on at once); every method is optional.</summary>
public interface IExecutionObserver
{
    void Streamed(CellInfo cell, string stream, string text) { }
    void Displayed(CellInfo cell, DisplayOutput output) { }

    /// <summary>A display of <paramref name="cell"/> (possibly an earlier cell) was replaced.</summary>
    void Updated(CellInfo cell, DisplayOutput output) { }

    /// <summary>
    /// The cell called <c>ClearOutput(wait)</c>: its outputs so far are gone (with <paramref name="wait"/>,
    /// once it shows something new; the core has already applied it to the cell's outputs).
    /// </summary>
    void Cleared(CellInfo cell, bool wait) { }

    /// <summary>Code of a finished cell wrote again; the warning was added under that cell.</summary>
    void Late(CellInfo cell, Output warning) { }

    /// <summary>A line for Console.ReadLine; null (the default) means there is no input.</summary>
    string? ReadLine(CellInfo cell, string prompt) => null;
}

/// <summary>How much a cell and a session may print, like Jupyter's output limits.</summary>
public sealed record ExecutionLimits
{
    public long CellTextChars { get; init; } = 1_000_000;
    public long CellTextLines { get; init; } = 10_000;

    /// <summary>All outputs of a session together (a notebook's page).</summary>
    public long SessionOutputChars { get; init; } = 50_000_000;
}
