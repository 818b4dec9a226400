using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Micrograd.Execution;
using Micrograd.Notebooks.Dib;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Notebooks.Export;

/// <summary>A notebook after a run: its cells with their outputs, ready to export.</summary>
internal sealed record NotebookRun(string SourcePath, IReadOnlyList<CellResult> Cells)
{
    public string Slug => Path.GetFileNameWithoutExtension(SourcePath);

    /// <summary>The JSON of the notebook's #!meta cell (its kernels), if its .dib has one; read when the run is made.</summary>
    public string? KernelInfo { get; init; } = MetaOf(SourcePath);

    /// <summary>The notebook's title: the first markdown heading, or its file name.</summary>
    public string Title =>
        Cells.Where(c => c.Kernel == "markdown")
             .SelectMany(c => c.Source.Split('\n'))
             .FirstOrDefault(l => l.StartsWith("# ", System.StringComparison.Ordinal))?[2..].Trim() ?? Slug;

    /// <summary>What the notebook teaches: the first paragraph after its title.</summary>
    public string Summary
    {
        get
        {
            var first = Cells.FirstOrDefault(c => c.Kernel == "markdown");
            if (first is null) return "";
            var paragraph = first.Source.Split('\n').SkipWhile(l => l.StartsWith('#') || l.Trim().Length == 0)
                                 .TakeWhile(l => l.Trim().Length > 0);
            return string.Join(" ", paragraph).Trim();
        }
    }

    public int Failed => Cells.Count(c => c.Status == CellStatus.Failed);

    private static string? MetaOf(string path)
    {
        try
        {
            return File.Exists(path) ? DibFormat.Read(path).Cells.FirstOrDefault(c => c.Kernel == "meta")?.Source : null;
        }
        catch (Exception e) when (e is IOException or DibFormatException)
        {
            return null;
        }
    }
}
