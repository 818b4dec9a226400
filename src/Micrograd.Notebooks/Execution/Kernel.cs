using System;
using System.Threading;

// The name the C# kernel gives its helpers, so that notebook code written for Polyglot Notebooks
// (`using static Microsoft.DotNet.Interactive.Kernel;` is one of its default usings) runs here as is.
namespace Microsoft.DotNet.Interactive;

/// <summary>What notebook code sees as the kernel: <c>display(x)</c>, as in Polyglot Notebooks.</summary>
public static class Kernel
{
    private static readonly AsyncLocal<Micrograd.Notebooks.Execution.OutputSink?> CurrentSink = new();

    internal static Micrograd.Notebooks.Execution.OutputSink? Sink
    {
        get => CurrentSink.Value;
        set => CurrentSink.Value = value;
    }

    /// <summary>Shows a value below the cell now, formatted as the kernel would; returns a handle to replace it later.</summary>
#pragma warning disable IDE1006 // the kernel's own lower-case name
    public static DisplayedValue display(object? value, params string[] mimeTypes)
#pragma warning restore IDE1006
    {
        var sink = Sink ?? throw new InvalidOperationException("display() works only while a notebook cell runs");
        return new DisplayedValue(sink, sink.Display(value, mimeTypes));
    }
}

/// <summary>An output shown by <see cref="Kernel.display"/>; <see cref="Update"/> replaces it in place.</summary>
public sealed class DisplayedValue
{
    private readonly Micrograd.Notebooks.Execution.OutputSink _sink;

    internal DisplayedValue(Micrograd.Notebooks.Execution.OutputSink sink, string displayId)
    {
        _sink = sink;
        DisplayId = displayId;
    }

    public string DisplayId { get; }

    /// <summary>Replaces the shown output with this value (a live chart redraws this way).</summary>
    public void Update(object? value) => _sink.Update(DisplayId, value);
}
