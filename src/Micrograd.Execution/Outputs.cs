using System.Collections.Generic;

namespace Micrograd.Execution;

/// <summary>Something a cell produced.</summary>
public abstract record Output;

/// <summary>A displayed value: its content in each MIME type (the preferred one first).</summary>
public sealed record DisplayOutput(IReadOnlyList<(string MimeType, string Content)> Data, string? DisplayId) : Output
{
    /// <summary>True for the cell's trailing value (Jupyter's execute_result), false for display(x) and its updates.</summary>
    public bool IsResult { get; init; }

    public string MimeType => Data[0].MimeType;
    public string Content => Data[0].Content;
}

/// <summary>What the cell wrote to the console: <paramref name="Name"/> is "stdout" or "stderr".</summary>
public sealed record StreamOutput(string Text, string Name = "stdout") : Output;

/// <summary>Why the cell failed: "notebook:cell N:line L: message".</summary>
public sealed record ErrorOutput(string Name, string Message) : Output;
