using System;
using System.Collections.Generic;
using Micrograd.Execution;

namespace Micrograd.Notebooks.Execution;

internal enum CellStatus { Ran, Failed, Skipped, NotRun }

/// <summary>A cell of a notebook with what running it gave.</summary>
internal sealed record CellResult(int Number, string Kernel, string Source, CellStatus Status, IReadOnlyList<Output> Outputs, TimeSpan Elapsed)
{
    public string? Note { get; init; }
}
