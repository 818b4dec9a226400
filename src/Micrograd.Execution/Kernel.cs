using System;
using Micrograd.Execution;

// The name the C# kernel gives its helpers, so that notebook code written for Polyglot Notebooks
// (`using static Microsoft.DotNet.Interactive.Kernel;` is one of its default usings) runs here as is.
namespace Microsoft.DotNet.Interactive;

/// <summary>
/// What notebook code sees as the kernel: <c>display(x)</c>, as in Polyglot Notebooks, and
/// <see cref="ClearOutput"/>, which is ours (the C# kernel has no such helper).
/// </summary>
public static class Kernel
{
    /// <summary>Shows a value below the cell now, formatted as the kernel would; returns a handle to replace it later.</summary>
#pragma warning disable IDE1006 // the kernel's own lower-case name
    public static DisplayedValue display(object? value, params string[] mimeTypes)
#pragma warning restore IDE1006
    {
        var cell = CellScope.Current ?? throw new InvalidOperationException("display() works only while a notebook cell runs");
        return new DisplayedValue(cell.Display(value, mimeTypes));
    }

    /// <summary>
    /// Removes what this cell has shown so far, like IPython's <c>clear_output</c> (Jupyter's
    /// <c>clear_output</c> message). With <paramref name="wait"/> the outputs stay until the cell
    /// shows something new, so that a redraw does not flicker. Not part of the .NET Interactive
    /// C# kernel, which has no way to clear a cell's output; this kernel and the runner both honour it.
    /// </summary>
    public static void ClearOutput(bool wait = false)
    {
        var cell = CellScope.Current ?? throw new InvalidOperationException("ClearOutput() works only while a notebook cell runs");
        cell.Clear(wait);
    }
}

/// <summary>An output shown by <see cref="Kernel.display"/>; <see cref="Update"/> replaces it in place.</summary>
public sealed class DisplayedValue
{
    internal DisplayedValue(string displayId) => DisplayId = displayId;

    public string DisplayId { get; }

    /// <summary>Replaces the shown output with this value (a live chart redraws this way), from any later cell too.</summary>
    public void Update(object? value) => CellScope.Current?.Update(DisplayId, value);
}
