using System;
using Micrograd.Execution;

// The name the C# kernel gives its helpers, so that notebook code written for Polyglot Notebooks
// (`using static Microsoft.DotNet.Interactive.Kernel;` is one of its default usings) runs here as is.
namespace Microsoft.DotNet.Interactive;

/// <summary>What notebook code sees as the kernel: <c>display(x)</c>, as in Polyglot Notebooks.</summary>
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
}

/// <summary>An output shown by <see cref="Kernel.display"/>; <see cref="Update"/> replaces it in place.</summary>
public sealed class DisplayedValue
{
    internal DisplayedValue(string displayId) => DisplayId = displayId;

    public string DisplayId { get; }

    /// <summary>Replaces the shown output with this value (a live chart redraws this way), from any later cell too.</summary>
    public void Update(object? value) => CellScope.Current?.Update(DisplayId, value);
}
