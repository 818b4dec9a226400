using System.Collections.Generic;

namespace Micrograd.Notebooks.Dib;

/// <summary>
/// One cell of a .dib file: its kernel and its source. What the format drops (the blank lines
/// around the source) and how the #! line was spelled are kept, so a file writes back byte for byte.
/// </summary>
internal sealed record DibCell(string Kernel, string Source)
{
    /// <summary>The name after #! as written ("csharp", or an alias such as "c#"); null for text before the first #! line.</summary>
    public string? Directive { get; init; }

    /// <summary>The 1-based file line of the #! line (of the first line, for text before any #! line).</summary>
    public int Line { get; init; } = 1;

    /// <summary>The exact text between the #! line and the source (the #! line's own line ending first).</summary>
    public string Leading { get; init; } = "\n\n";

    /// <summary>The exact text after the source, up to the next #! line or the end of the file.</summary>
    public string Trailing { get; init; } = "\n\n";

    /// <summary>The 1-based file line of the source's first line.</summary>
    public int SourceLine => Line + Count(Leading);

    private static int Count(string s)
    {
        int n = 0;
        foreach (char c in s) if (c == '\n') n++;
        return n;
    }
}

/// <summary>A parsed .dib file: its cells in order (the #!meta cell among them).</summary>
internal sealed record DibDocument(string Path, IReadOnlyList<DibCell> Cells)
{
    /// <summary>Blank text before the first cell, kept for the byte-for-byte round trip.</summary>
    public string Preamble { get; init; } = "";

    /// <summary>The kernel that runs cells without their own #! line (from #!meta; csharp if none).</summary>
    public string DefaultKernel { get; init; } = "csharp";
}
