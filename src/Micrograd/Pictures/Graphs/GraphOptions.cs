using System.Collections.Generic;

namespace Micrograd.Pictures.Graphs;

/// <summary>Which way data flows in a drawn graph.</summary>
public enum Direction
{
    /// <summary>Leaves on the left, the root on the right (micrograd's draw_dot).</summary>
    LeftToRight,
    /// <summary>Leaves at the top, the root at the bottom.</summary>
    TopToBottom,
}

/// <summary>How to draw a computation graph. Every option has a teaching use; the defaults draw micrograd's picture.</summary>
public sealed record GraphOptions
{
    public Direction Direction { get; init; } = Direction.LeftToRight;

    /// <summary>Tint each grad cell green (positive) or red (negative), stronger for larger |grad|.</summary>
    public bool ColorByGrad { get; init; }

    /// <summary>Values to outline in orange (compared by reference: the value objects themselves).</summary>
    public IReadOnlyCollection<object> Highlight { get; init; } = [];

    /// <summary>Show each value's label field.</summary>
    public bool ShowLabels { get; init; } = true;

    /// <summary>Above this many values a graph is summarised instead of drawn.</summary>
    public int MaxNodes { get; init; } = 150;

    /// <summary>An optional title above the graph.</summary>
    public string? Title { get; init; }
}
