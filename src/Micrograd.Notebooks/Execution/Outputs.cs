using System;
using System.Collections.Generic;

namespace Micrograd.Notebooks.Execution;

/// <summary>Something a cell produced.</summary>
internal abstract record Output;

/// <summary>A displayed value: its content in each MIME type (the preferred one first).</summary>
internal sealed record DisplayOutput(IReadOnlyList<(string MimeType, string Content)> Data, string? DisplayId) : Output
{
    public string MimeType => Data[0].MimeType;
    public string Content => Data[0].Content;
}

/// <summary>What the cell wrote to the console.</summary>
internal sealed record StreamOutput(string Text) : Output;

/// <summary>Why the cell failed: "notebook:cell N:line L: message".</summary>
internal sealed record ErrorOutput(string Name, string Message) : Output;

internal enum CellStatus { Ran, Failed, Skipped, NotRun }

/// <summary>A cell of a notebook with what running it gave.</summary>
internal sealed record CellResult(int Number, string Kernel, string Source, CellStatus Status, IReadOnlyList<Output> Outputs, TimeSpan Elapsed)
{
    public string? Note { get; init; }
}
